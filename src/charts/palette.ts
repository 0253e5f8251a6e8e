import { eventTypeLabel, MEASURES } from '../events/taxonomy';

/**
 * Colours by kind of act. Measures against a vendor get shades of red by strength, in the
 * order of the status board's MEASURES (strongest darkest), so a measure type added there
 * gets its shade here without a second list to keep in step.
 */

/**
 * Dark to light through purple, red and orange (samples of the magma scale), so neighbouring
 * strengths differ in hue as well as in lightness; sampled evenly for however many measures there are.
 */
const MEASURE_RAMP = ['#2c115f', '#721f81', '#9f2f7f', '#cd4071', '#f1605d', '#fd9668', '#fec98d'];

const OTHER_KINDS: Record<string, { fill: string; family: string }> = {
  'restriction-lifted': { fill: '#2e7d32', family: 'lifted' },
  'vendor-measure': { fill: '#0b4f9c', family: 'vendor' },
  'vendor-statement': { fill: '#5b9bd5', family: 'vendor' },
  'cooperation-suspended': { fill: '#8c510a', family: 'cooperation' },
  'cooperation-resumed': { fill: '#dfc27d', family: 'cooperation' },
  'legal-action': { fill: '#00796b', family: 'court' },
  investigation: { fill: '#6e7781', family: 'other' },
};

const FALLBACK = '#b1bac4';

/** The fill of a measure by its rank (0 = strongest) among `count` measures. */
export function measureShade(rank: number, count: number = MEASURES.length): string {
  if (count <= 1) return MEASURE_RAMP[1];
  const i = Math.round((rank * (MEASURE_RAMP.length - 1)) / (count - 1));
  return MEASURE_RAMP[Math.min(MEASURE_RAMP.length - 1, Math.max(0, i))];
}

const MEASURE_RANK = new Map<string, number>(MEASURES.map((m, i) => [m.type as string, i]));

export interface KindStyle {
  /** The event type this style is for. */
  type: string;
  label: string;
  fill: string;
  /** Legend group: measure, vendor, cooperation, court, lifted, other. */
  family: string;
  /** Legend order. */
  order: number;
}

export function kindStyle(type: string): KindStyle {
  const rank = MEASURE_RANK.get(type);
  if (rank !== undefined) return { type, label: eventTypeLabel(type), fill: measureShade(rank), family: 'measure', order: rank };
  const other = OTHER_KINDS[type];
  const keys = Object.keys(OTHER_KINDS);
  if (other) return { type, label: eventTypeLabel(type), fill: other.fill, family: other.family, order: 100 + keys.indexOf(type) };
  return { type, label: eventTypeLabel(type), fill: FALLBACK, family: 'other', order: 200 };
}

/** Map colours: one per measure (by its board name), strongest darkest. */
export function measureFill(measure: string): string {
  const i = MEASURES.findIndex((m) => m.measure === measure);
  return i < 0 ? FALLBACK : measureShade(i);
}

export const NO_MEASURE_FILL = '#e4e7eb';
export const LAND_STROKE = '#ffffff';
