/**
 * CSV cells and rows as RFC 4180 writes them (https://www.rfc-editor.org/rfc/rfc4180#section-2), made
 * safe to open in a spreadsheet.
 */

/** Starts a spreadsheet would read as a formula (OWASP "CSV injection"); tab and CR hide one. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell holding any of these must be quoted (RFC 4180 section 2, rules 6 and 7). */
const NEEDS_QUOTES = /[",\r\n]/;
const SPECIAL = /^[=+\-@\t\r]|[",\r\n]/;

/** UTF-8 byte order mark: without it Excel reads a CSV file as the local ANSI code page. */
export const BOM = '\uFEFF';

/** RFC 4180 line break. */
export const CRLF = '\r\n';

/**
 * One cell. Text that a spreadsheet would evaluate (`=HYPERLINK(...)`, `+4930...`) gets a leading
 * apostrophe, which spreadsheets show as text; numbers are written as they are. Null is empty.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  // Most cells (ids, digits, ISO times) need nothing: one test instead of two on the export's hot path.
  if (!SPECIAL.test(value)) return value;
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: ReadonlyArray<string | number | null>): string {
  return cells.map(csvCell).join(',') + CRLF;
}
