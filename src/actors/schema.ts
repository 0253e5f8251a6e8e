import { z } from 'zod';
import { jurisdictionField, slugField } from '../lib/fields';
import { multiLine, oneLine, required } from '../lib/input';
import { ACTOR_KIND_KEYS } from './kinds';

export const ActorInput = z.object({
  slug: slugField,
  name: required(oneLine(200), 'Enter the body’s name.'),
  kind: z.enum(ACTOR_KIND_KEYS, { message: 'Choose what kind of body this is.' }),
  jurisdiction: jurisdictionField.transform((v) => v || null),
  description: multiLine(5000),
});
export type ActorInput = z.output<typeof ActorInput>;

export const ACTOR_FIELDS = [
  { name: 'slug', label: 'Slug' },
  { name: 'name', label: 'Name' },
  { name: 'kind', label: 'Kind' },
  { name: 'jurisdiction', label: 'Jurisdiction' },
  { name: 'description', label: 'Description' },
] as const;
