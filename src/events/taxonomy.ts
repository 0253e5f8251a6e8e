/** The fixed event taxonomy. Stored values are the keys; pages show the labels. */
export const EVENT_TYPES = {
  'procurement-exclusion': 'Procurement exclusion',
  'removal-order': 'Removal order',
  ban: 'Ban',
  sanction: 'Sanction',
  'export-control': 'Export-control listing',
  advisory: 'Advisory',
  resolution: 'Resolution',
  investigation: 'Investigation',
  'legal-action': 'Legal action',
  'cooperation-suspended': 'Cooperation suspended',
  'cooperation-resumed': 'Cooperation resumed',
  'vendor-statement': 'Vendor statement',
  'vendor-measure': 'Vendor measure',
  'restriction-lifted': 'Restriction lifted',
  other: 'Other',
} as const;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_KEYS = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]];

export function eventTypeLabel(type: string): string {
  return (EVENT_TYPES as Record<string, string>)[type] ?? type;
}

/** Typed relations between events, read from the `from` event to the `to` event. */
export const EVENT_RELATIONS = {
  'responds-to': { forward: 'In response to', backward: 'Responses' },
  implements: { forward: 'Implements', backward: 'Implemented by' },
  supersedes: { forward: 'Supersedes', backward: 'Superseded by' },
  reverses: { forward: 'Reverses', backward: 'Reversed by' },
} as const;

export type EventRelation = keyof typeof EVENT_RELATIONS;
export const EVENT_RELATION_KEYS = Object.keys(EVENT_RELATIONS) as [EventRelation, ...EventRelation[]];

/**
 * The status board's one mapping from event type to the measure it puts in force,
 * strongest first. Types not listed (statements, investigations, ...) put nothing in force.
 */
export const MEASURES = [
  // Blocking sanctions forbid every dealing; an export-control listing cuts off supplies
  // to the vendor, which weighs more than one government clearing out its own systems.
  { measure: 'sanctioned', label: 'Sanctioned', type: 'sanction' },
  { measure: 'banned', label: 'Banned', type: 'ban' },
  { measure: 'export-restricted', label: 'Export-restricted', type: 'export-control' },
  { measure: 'removal-ordered', label: 'Removal ordered', type: 'removal-order' },
  { measure: 'procurement-excluded', label: 'Excluded from procurement', type: 'procurement-exclusion' },
  { measure: 'advised-against', label: 'Advised against', type: 'advisory' },
  { measure: 'ban-called-for', label: 'Ban called for (non-binding)', type: 'resolution' },
] as const;

export type Measure = (typeof MEASURES)[number]['measure'];
