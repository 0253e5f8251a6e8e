/**
 * Text width estimates for laying out labels on the server, where no font can be measured.
 * The widths are generous for a sans-serif face (Helvetica/Arial metrics rounded up), and
 * labels are drawn with `textLength` set to the estimate, so the browser fits the glyphs
 * into exactly the box the layout reserved: labels cannot overlap whatever the font.
 */

const NARROW = new Set("iljtfrI!|.,:;'`()[]{} ");
const WIDE = new Set('mwMW@%');

function charWidth(c: string): number {
  if (NARROW.has(c)) return 0.34;
  if (WIDE.has(c)) return 0.9;
  if (/[A-Z0-9]/.test(c)) return 0.66;
  if (/[a-z]/.test(c)) return 0.56;
  return 0.62;
}

export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const c of text) em += charWidth(c);
  return em * fontSize;
}

/** The longest prefix of `text` (with an ellipsis when cut) that fits `maxWidth`, or '' when not even a few letters fit. */
export function fitText(text: string, maxWidth: number, fontSize: number, minChars = 4): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (textWidth(clean, fontSize) <= maxWidth) return clean;
  const chars = [...clean];
  let width = textWidth('…', fontSize);
  let cut = 0;
  while (cut < chars.length && width + charWidth(chars[cut]) * fontSize <= maxWidth) {
    width += charWidth(chars[cut]) * fontSize;
    cut++;
  }
  if (cut < minChars) return '';
  return `${chars.slice(0, cut).join('').trimEnd()}…`;
}
