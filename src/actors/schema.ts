import { z } from 'zod';
import { jurisdictionField, slugField } from '../lib/fields';
import { multiLine, oneLine, required } from '../lib/input';
import { LIMITS } from '../lib/limits';
import { ACTOR_KIND_KEYS } from './kinds';

export const ActorInput = z.object({
  slug: slugField(LIMITS.actor.slug),
  name: required(oneLine(LIMITS.actor.name), 'Enter the body’s name.'),
  kind: z.enum(ACTOR_KIND_KEYS, { message: 'Choose what kind of body this is.' }),
  jurisdiction: jurisdictionField.transform((v) => v || null),
  description: multiLine(LIMITS.actor.description),
});
export type ActorInput = z.output<typeof ActorInput>;

/** An edit: the slug stays as it is, so links keep working; the edit form does not send it. */
export const ActorEdit = ActorInput.omit({ slug: true });
export type ActorEdit = z.output<typeof ActorEdit>;

export const ACTOR_FIELDS = [
  { name: 'slug', label: 'Slug' },
  { name: 'name', label: 'Name' },
  { name: 'kind', label: 'Kind' },
  { name: 'jurisdiction', label: 'Jurisdiction' },
  { name: 'description', label: 'Description' },
] as const;
