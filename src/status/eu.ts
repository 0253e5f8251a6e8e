/**
 * EU membership by date, so a map of an earlier day hatches the members of that day
 * (the United Kingdom until 31 January 2020, Croatia from 1 July 2013).
 */
const MEMBERSHIP: ReadonlyArray<{ codes: string[]; from: string; until?: string }> = [
  { codes: ['BE', 'DE', 'FR', 'IT', 'LU', 'NL'], from: '1958-01-01' },
  { codes: ['DK', 'IE'], from: '1973-01-01' },
  { codes: ['GB'], from: '1973-01-01', until: '2020-01-31' },
  { codes: ['GR'], from: '1981-01-01' },
  { codes: ['ES', 'PT'], from: '1986-01-01' },
  { codes: ['AT', 'FI', 'SE'], from: '1995-01-01' },
  { codes: ['CY', 'CZ', 'EE', 'HU', 'LT', 'LV', 'MT', 'PL', 'SI', 'SK'], from: '2004-05-01' },
  { codes: ['BG', 'RO'], from: '2007-01-01' },
  { codes: ['HR'], from: '2013-07-01' },
];

/** The EU member states on a day (YYYY-MM-DD). */
export function euMembersOn(day: string): Set<string> {
  const out = new Set<string>();
  for (const m of MEMBERSHIP) {
    if (m.from <= day && (!m.until || day <= m.until)) for (const c of m.codes) out.add(c);
  }
  return out;
}
