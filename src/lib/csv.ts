/**
 * Spreadsheet programs run a cell that begins with `=`, `+`, `-` or `@` as a formula,
 * and some also treat a leading tab or carriage return that way. Following the OWASP
 * guidance on CSV injection, such a cell gets a leading apostrophe, which spreadsheets
 * show as plain text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Joins a multi-valued cell. */
export const MULTI_VALUE_SEPARATOR = ' | ';

export function joinValues(values: ReadonlyArray<string | null | undefined>): string {
  return values.filter((v): v is string => !!v).join(MULTI_VALUE_SEPARATOR);
}
