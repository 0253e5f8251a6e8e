import type { Application, Response } from 'express';

/**
 * Entity tags for bodies served again and again from memory.
 *
 * express's `res.send` hashes the whole body (SHA-1) for its ETag on every response; for a
 * kept 200 KB timeline that was about a tenth of the server's CPU per request (2026-11-30,
 * profile under autocannon). A body kept in memory is tagged once, when it is kept, and the
 * tag is set before `send`, which then skips its own hash and still answers a matching
 * `If-None-Match` with 304. The tags come from the app's own `etag fn`, so they follow its
 * `etag` setting (weak by default; none when it is turned off).
 */
type EtagFn = (body: Buffer | string, encoding?: BufferEncoding) => string | undefined;

/** The app's tag of `body`, or undefined when the app sends no ETags. */
export function entityTag(app: Application, body: Buffer | string): string | undefined {
  const fn = app.get('etag fn') as EtagFn | undefined;
  return typeof fn === 'function' ? fn(body, 'utf8') : undefined;
}

/**
 * The tag of a page made of a shell rendered per request and a part kept with its own tag: the
 * shell (a few kilobytes) is hashed with the part's tag, not the part again. Two pages share
 * a tag only when both their shells and their parts do.
 */
export function composedTag(app: Application, shell: string, partTag: string | undefined): string | undefined {
  return partTag === undefined ? undefined : entityTag(app, `${partTag}\n${shell}`);
}

/** Sends `body` under a tag made before (none: express tags it as usual). */
export function sendTagged(res: Response, body: Buffer, tag: string | undefined): void {
  if (tag !== undefined) res.setHeader('ETag', tag);
  res.send(body);
}
