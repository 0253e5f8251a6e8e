/** Small helpers for writing SVG as text. Everything user-supplied goes through `esc`. */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an XML attribute or element; drops characters XML 1.0 forbids, so a hostile title cannot break the document. */
export function esc(value: string | number): string {
  return String(value)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** A coordinate with at most one decimal: enough for screen pixels, and keeps the markup small. */
export function n(value: number): string {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Attributes from a record, values escaped; undefined and null are left out. */
export function attrs(values: Record<string, string | number | undefined | null>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? n(v) : esc(v as string)}"`)
    .join('');
}

/** The font every chart uses, as a presentation attribute (the CSP allows no style attributes). */
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';
export const INK = '#1f2328';
export const MUTED_INK = '#57606a';
