/**
 * RFC 4180 CSV with spreadsheet-formula neutralisation: a text cell starting with = + - @ (or a
 * tab or carriage return, which some spreadsheets skip before reading a formula) gets a leading
 * apostrophe, so opening metadata.csv never runs a formula planted in a sensor name or an alert id
 * (OWASP "CSV injection"). Numbers are written as numbers and never start with those characters
 * here, because every number we write is non-negative.
 */
export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to CSV`);
    return String(value);
  }
  let s = value;
  if (FORMULA_START.test(s.trimStart()) || FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csvRow = (values: readonly CsvValue[]): string => `${values.map(csvCell).join(',')}\r\n`;
