/** All demo data, in load order: link targets come before the events that link to them. */
import { kasperskyActors, kasperskyEvents, kasperskySources, kasperskyVendors } from './kaspersky-lab';
import { moreActors, moreEvents, moreSources, moreVendors } from './more-vendors';
import type { DemoActor, DemoEvent, DemoSource, DemoVendor } from './types';

export { SEED_ARTICLE_KEY, SWISS_MOVE_ID } from './kaspersky-lab';
export type { DemoActor, DemoEvent, DemoSource, DemoVendor } from './types';

export const demoVendors: DemoVendor[] = [...kasperskyVendors, ...moreVendors];
export const demoActors: DemoActor[] = [...kasperskyActors, ...moreActors];
export const demoSources: DemoSource[] = [...kasperskySources, ...moreSources];
export const demoEvents: DemoEvent[] = [...kasperskyEvents, ...moreEvents];
