import type { Config } from '@jest/types';
import { announceTemplates, buildTemplates } from './templates';
import { transformAhead } from './transformAhead';

/** jest globalSetup: makes this run's template databases (see templates.ts) and, meanwhile, compiles the TypeScript once (transformAhead.ts). */
export default async function globalSetup(_global: Config.GlobalConfig, project: Config.ProjectConfig): Promise<void> {
  const [templates] = await Promise.all([buildTemplates(process.env.TEST_DATABASE_URL || null), transformAhead(project)]);
  announceTemplates(templates);
}
