/** Small helpers for writing SVG as text. Everything user-supplied goes through `esc`. */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Characters XML 1.0 forbids; and those or any character that needs an entity. */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const NEEDS_ESCAPING = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>"']/;

/** Escapes text for an XML attribute or element; drops characters XML 1.0 forbids, so a hostile title cannot break the document. */
export function esc(value: string | number): string {
  const text = String(value);
  // Most values (numbers, ids, colours) need nothing: one scan, no new string.
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text.replace(FORBIDDEN, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** A coordinate with at most one decimal: enough for screen pixels, and keeps the markup small. */
export function n(value: number): string {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Attributes from a record, values escaped; undefined and null are left out. */
export function attrs(values: Record<string, string | number | undefined | null>): string {
  let out = '';
  for (const k in values) {
    const v = values[k];
    if (v !== undefined && v !== null) out += ` ${k}="${typeof v === 'number' ? n(v) : esc(v)}"`;
  }
  return out;
}

/** The font every chart uses, as a presentation attribute (the CSP allows no style attributes). */
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';
export const INK = '#1f2328';
export const MUTED_INK = '#57606a';
