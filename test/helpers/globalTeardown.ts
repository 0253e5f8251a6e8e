import { announceTemplates, dropTemplates, templatesOfRun } from './templates';

/** jest globalTeardown: removes this run's template databases. */
export default async function globalTeardown(): Promise<void> {
  const templates = templatesOfRun();
  if (!templates) return;
  await dropTemplates(templates, process.env.TEST_DATABASE_URL || null);
  announceTemplates(null);
}
