import { UrlError, displayHost, normaliseUrl, safeHref } from '../../src/lib/url';

describe('normaliseUrl', () => {
  it('lower-cases the scheme and host but keeps the path as it is', () => {
    expect(normaliseUrl('HTTPS://WWW.Example.COM/News/Article')).toBe('https://www.example.com/News/Article');
  });

  it('drops the fragment', () => {
    expect(normaliseUrl('https://example.com/a#section-2')).toBe('https://example.com/a');
  });

  it('drops the default port and keeps any other', () => {
    expect(normaliseUrl('https://example.com:443/a')).toBe('https://example.com/a');
    expect(normaliseUrl('http://example.com:80/a')).toBe('http://example.com/a');
    expect(normaliseUrl('http://example.com:8080/a')).toBe('http://example.com:8080/a');
  });

  it('drops utm_* tracking parameters in any casing and keeps the others in order', () => {
    expect(normaliseUrl('https://example.com/a?id=7&utm_source=x&UTM_Medium=y&page=2&utm_campaign=z')).toBe(
      'https://example.com/a?id=7&page=2',
    );
  });

  it('leaves no dangling question mark when only tracking parameters were present', () => {
    expect(normaliseUrl('https://example.com/a?utm_source=newsletter')).toBe('https://example.com/a');
  });

  it('gives the same address for the same article however it was pasted', () => {
    const a = normaliseUrl('  https://Example.com:443/story?id=1&utm_source=feed#comments ');
    const b = normaliseUrl('https://example.com/story?id=1');
    expect(a).toBe(b);
  });

  it.each([
    ['javascript:alert(1)'],
    ['JaVaScRiPt:alert(1)'],
    [' javascript:alert(1)'],
    ['java\nscript:alert(1)'],
    ['java\tscript:alert(1)'],
    ['\tjavascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['ftp://example.com/file.txt'],
    ['file:///etc/passwd'],
    ['/relative/path'],
    ['relative/path'],
    ['//example.com/protocol-relative'],
    ['example.com/no-scheme'],
    ['https://user:pass@example.com/'],
    ['https://user@example.com/'],
    [''],
    ['   '],
  ])('rejects %j', (input) => {
    expect(() => normaliseUrl(input)).toThrow(UrlError);
  });
});

describe('safeHref', () => {
  it.each([
    ['javascript:alert(1)'],
    ['JaVaScRiPt:alert(1)'],
    [' javascript:alert(1)'],
    ['java\nscript:alert(1)'],
    ['java\tscript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['ftp://example.com/file.txt'],
    ['/relative/path'],
    ['//example.com/protocol-relative'],
    ['https://user:pass@example.com/'],
    [''],
  ])('gives no link for %j', (input) => {
    expect(safeHref(input)).toBeNull();
  });

  it('gives no link for a missing value', () => {
    expect(safeHref(null)).toBeNull();
    expect(safeHref(undefined)).toBeNull();
  });

  it('gives the address for http and https links', () => {
    expect(safeHref('https://www.example.com/a?b=1')).toBe('https://www.example.com/a?b=1');
    expect(safeHref('http://example.com/')).toBe('http://example.com/');
  });
});

describe('displayHost', () => {
  it('shows the host without www. for a safe link and nothing otherwise', () => {
    expect(displayHost('https://www.theguardian.com/technology/x')).toBe('theguardian.com');
    expect(displayHost('javascript:alert(1)')).toBe('');
    expect(displayHost(null)).toBe('');
  });
});
