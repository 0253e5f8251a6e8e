/**
 * Text width estimates for laying out labels on the server, where no font can be measured.
 * The widths are generous for a sans-serif face (Helvetica/Arial metrics rounded up), and
 * labels are drawn with `textLength` set to the estimate, so the browser fits the glyphs
 * into exactly the box the layout reserved: labels cannot overlap whatever the font.
 */

const NARROW = "iljtfrI!|.,:;'`()[]{} ";
const WIDE = 'mwMW@%';

/** Width in em of each ASCII character, looked up by code (a chart measures thousands of them). */
const ASCII_EM = Array.from({ length: 128 }, (_, code) => {
  const c = String.fromCharCode(code);
  if (NARROW.includes(c)) return 0.34;
  if (WIDE.includes(c)) return 0.9;
  if (/[A-Z0-9]/.test(c)) return 0.66;
  if (/[a-z]/.test(c)) return 0.56;
  return 0.62;
});

/** Width in em of one character (a code point); anything beyond ASCII counts as 0.62. */
function charWidth(c: string): number {
  const code = c.charCodeAt(0);
  return c.length === 1 && code < 128 ? ASCII_EM[code] : 0.62;
}

export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) em += ASCII_EM[code];
    else {
      em += 0.62;
      // A surrogate pair is one character, as `for (const c of text)` counts it.
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
    }
  }
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
