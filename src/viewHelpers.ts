import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { actorKindLabel } from './actors/kinds';
import { EVENT_RELATIONS, EVENT_TYPES, eventTypeLabel } from './events/taxonomy';
import { timelineQueryString } from './events/filters';
import { countryChoices, jurisdictionChoices, jurisdictionName } from './lib/jurisdiction';
import { LIMITS } from './lib/limits';
import { formatPartialDate, precisionOf } from './lib/partialDate';
import { remembered } from './lib/remembered';
import { displayHost, safeHref } from './lib/url';
import { COLUMN_LABELS } from './reports/eventColumns';

function relationLabel(relation: string, direction: 'forward' | 'backward'): string {
  const labels = (EVENT_RELATIONS as Record<string, { forward: string; backward: string }>)[relation];
  return labels ? labels[direction] : relation;
}

/** "28 Nov 2026, 19:54 UTC" for stored ISO timestamps. */
function formatTimestamp(iso: string): string {
  const d = parseISO(iso);
  return `${format(new Date(d.getTime() + d.getTimezoneOffset() * 60_000), 'd MMM yyyy, HH:mm')} UTC`;
}

/** Functions every view may call; all return plain text for `<%=` to escape. */
export const viewHelpers = {
  formatPartialDate: remembered(formatPartialDate),
  precisionOf,
  formatTimestamp,
  eventTypeLabel,
  eventTypes: EVENT_TYPES,
  relationLabel,
  jurisdictionName: remembered(jurisdictionName),
  jurisdictionChoices,
  countryChoices,
  actorKindLabel,
  safeHref: remembered(safeHref),
  displayHost: remembered(displayHost),
  timelineQueryString,
  reportColumnLabels: COLUMN_LABELS as Record<string, string>,
  /** Field lengths, for `maxlength` in forms: the same numbers the schemas check. */
  LIMITS,
};
