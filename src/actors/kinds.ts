export const ACTOR_KINDS = {
  legislature: 'Legislature',
  government: 'Government',
  regulator: 'Regulator',
  'law-enforcement': 'Law enforcement',
  court: 'Court',
  intergovernmental: 'Intergovernmental body',
  company: 'Company',
  partnership: 'Partnership',
  vendor: 'Vendor',
  other: 'Other',
} as const;

export type ActorKind = keyof typeof ACTOR_KINDS;
export const ACTOR_KIND_KEYS = Object.keys(ACTOR_KINDS) as [ActorKind, ...ActorKind[]];

export function actorKindLabel(kind: string): string {
  return (ACTOR_KINDS as Record<string, string>)[kind] ?? kind;
}
