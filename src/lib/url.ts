/**
 * Web addresses supplied by users. Only http(s) URLs are accepted, parsed with the
 * WHATWG URL parser (never a regex), so `javascript:`, `data:` and their disguised
 * spellings can never become links.
 */

export class UrlError extends Error {}

const TRACKING_PARAMS = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)$/i;

/**
 * Normalises an http(s) URL so the same article is recognised however it was pasted:
 * lower-case scheme and host, no default port, no fragment, no tracking parameters.
 * Throws `UrlError` for anything else.
 */
export function normaliseUrl(input: string): string {
  const known = normalised.get(input);
  if (known !== undefined) return known;
  const result = normaliseUncached(input);
  // An import names the same source on many rows and checks each address more than once.
  if (normalised.size >= NORMALISED_KEPT) normalised.clear();
  normalised.set(input, result);
  return result;
}

const NORMALISED_KEPT = 10_000;
const normalised = new Map<string, string>();

function normaliseUncached(input: string): string {
  const trimmed = input.trim();
  if (!trimmed) throw new UrlError('the address is empty');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new UrlError('this is not a complete web address (it must start with http:// or https://)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UrlError('only http:// and https:// addresses are accepted');
  }
  if (!url.hostname) throw new UrlError('the address has no host');
  if (url.username || url.password) throw new UrlError('addresses with a user name or password are not accepted');
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) {
    if (TRACKING_PARAMS.test(key)) url.searchParams.delete(key);
  }
  url.search = url.searchParams.toString() ? `?${url.searchParams.toString()}` : '';
  return url.toString();
}

/** The URL if it is a safe http(s) link, otherwise null: for rendering stored values as links. */
export function safeHref(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    // Credentials in a link are a phishing trick (https://bank.example@evil.example).
    return url.username || url.password ? null : url.toString();
  } catch {
    return null;
  }
}

/** The host name without `www.`, for a short label beside a link. */
export function displayHost(value: string | null | undefined): string {
  const href = safeHref(value);
  if (!href) return '';
  return new URL(href).hostname.replace(/^www\./, '');
}
