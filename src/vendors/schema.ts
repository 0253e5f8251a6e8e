import { z } from 'zod';
import { countryField, slugField, urlField } from '../lib/fields';
import { multiLine, oneLine, required } from '../lib/input';

const MAX_ALIASES = 20;

export const VendorInput = z.object({
  slug: slugField,
  name: required(oneLine(200), 'Enter the vendor’s name.'),
  aliases: multiLine(2000)
    .transform((v) => [...new Set(v.split('\n').map((a) => a.trim()).filter(Boolean))])
    .refine((list) => list.length <= MAX_ALIASES, { message: `List at most ${MAX_ALIASES} other names.` })
    .refine((list) => list.every((a) => a.length <= 200), { message: 'Each name may have at most 200 characters.' }),
  country: countryField,
  website: urlField,
  description: multiLine(5000),
});
export type VendorInput = z.output<typeof VendorInput>;

export const VENDOR_FIELDS = [
  { name: 'slug', label: 'Slug' },
  { name: 'name', label: 'Name' },
  { name: 'aliases', label: 'Other names' },
  { name: 'country', label: 'Country' },
  { name: 'website', label: 'Website' },
  { name: 'description', label: 'Description' },
] as const;
