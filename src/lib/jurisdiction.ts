/**
 * Jurisdictions are ISO 3166-1 alpha-2 country codes, plus `EU` (the European Union)
 * and `INT` (international or global). Names come from the runtime's CLDR data.
 */
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

const SPECIAL: Record<string, string> = { EU: 'European Union', INT: 'International' };

// Codes CLDR names but ISO 3166-1 does not assign to a country: groupings, private use,
// and the "exceptionally reserved" codes such as UK (the assigned code is GB).
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'XK', 'ZZ', 'UK', 'AC', 'CP', 'CQ', 'DG', 'EA', 'IC', 'TA']);

export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  return regionNames.of(code) !== undefined;
}

export function isJurisdictionCode(code: string): boolean {
  return code in SPECIAL || isCountryCode(code);
}

export function jurisdictionName(code: string | null | undefined): string {
  if (!code) return '';
  return SPECIAL[code] ?? regionNames.of(code) ?? code;
}
