import { z } from 'zod';
import { countryField, slugField, urlField } from '../lib/fields';
import { multiLine, oneLine, required } from '../lib/input';
import { LIMITS } from '../lib/limits';

const MAX_ALIASES = 20;

export const VendorInput = z.object({
  slug: slugField(LIMITS.vendor.slug),
  name: required(oneLine(LIMITS.vendor.name), 'Enter the vendor’s name.'),
  aliases: multiLine(LIMITS.vendor.aliases)
    .transform((v) => [
      ...new Set(
        v
          .split('\n')
          .map((a) => a.trim())
          .filter(Boolean),
      ),
    ])
    .refine((list) => list.length <= MAX_ALIASES, { message: `List at most ${MAX_ALIASES} other names.` })
    .refine((list) => list.every((a) => a.length <= LIMITS.vendor.alias), {
      message: `Each name may have at most ${LIMITS.vendor.alias} characters.`,
    }),
  country: countryField,
  website: urlField(LIMITS.vendor.website),
  description: multiLine(LIMITS.vendor.description),
});
export type VendorInput = z.output<typeof VendorInput>;

/** An edit: the slug stays as it is, so links keep working; the edit form does not send it. */
export const VendorEdit = VendorInput.omit({ slug: true });
export type VendorEdit = z.output<typeof VendorEdit>;

export const VENDOR_FIELDS = [
  { name: 'slug', label: 'Slug' },
  { name: 'name', label: 'Name' },
  { name: 'aliases', label: 'Other names' },
  { name: 'country', label: 'Country' },
  { name: 'website', label: 'Website' },
  { name: 'description', label: 'Description' },
] as const;
