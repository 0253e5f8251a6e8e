/**
 * Jurisdictions are ISO 3166-1 alpha-2 country codes, plus `EU` (the European Union)
 * and `INT` (international or global). Names come from the runtime's CLDR data.
 */
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

const SPECIAL: Record<string, string> = { EU: 'European Union', INT: 'International' };

// Codes CLDR names but ISO 3166-1 does not assign to a country: groupings, private use,
// the "exceptionally reserved" codes such as UK (the assigned code is GB), and withdrawn
// codes CLDR still names (SU, DD, YU...), which would offer Russia or Germany twice.
const NOT_COUNTRIES = new Set([
  'EU',
  'EZ',
  'UN',
  'QO',
  'XA',
  'XB',
  'XK',
  'ZZ',
  'UK',
  'AC',
  'CP',
  'CQ',
  'DG',
  'EA',
  'IC',
  'TA',
  'AN',
  'BU',
  'CS',
  'DD',
  'DY',
  'FX',
  'HV',
  'NH',
  'RH',
  'SU',
  'TP',
  'VD',
  'YD',
  'YU',
  'ZR',
]);

// Answers per code (at most 26 x 26 of them): asking Intl for every imported row is slow.
const countryAnswers = new Map<string, boolean>();

export function isCountryCode(code: string): boolean {
  const known = countryAnswers.get(code);
  if (known !== undefined) return known;
  if (!/^[A-Z]{2}$/.test(code)) return false;
  const answer = !NOT_COUNTRIES.has(code) && regionNames.of(code) !== undefined;
  countryAnswers.set(code, answer);
  return answer;
}

export function isJurisdictionCode(code: string): boolean {
  return code in SPECIAL || isCountryCode(code);
}

export function jurisdictionName(code: string | null | undefined): string {
  if (!code) return '';
  return SPECIAL[code] ?? regionNames.of(code) ?? code;
}

export interface JurisdictionChoice {
  code: string;
  name: string;
}

let countries: JurisdictionChoice[] | undefined;

/** Every ISO 3166-1 country, by English name, for pickers (computed once). */
export function countryChoices(): JurisdictionChoice[] {
  if (!countries) {
    const found: JurisdictionChoice[] = [];
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        if (isCountryCode(code)) found.push({ code, name: jurisdictionName(code) });
      }
    }
    countries = found.sort((x, y) => x.name.localeCompare(y.name, 'en'));
  }
  return countries;
}

/** The bodies above countries first, then every country: what a jurisdiction field accepts. */
export function jurisdictionChoices(): JurisdictionChoice[] {
  return [...Object.entries(SPECIAL).map(([code, name]) => ({ code, name })), ...countryChoices()];
}
