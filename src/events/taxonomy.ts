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
