import { announceTemplates, buildTemplates } from './templates';

/** jest globalSetup: makes this run's template databases (see templates.ts). */
export default async function globalSetup(): Promise<void> {
  announceTemplates(await buildTemplates(process.env.TEST_DATABASE_URL || null));
}
