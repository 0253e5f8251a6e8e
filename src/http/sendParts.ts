import type { Response } from 'express';
import { keepsBody } from './pageCache';

/**
 * Sends a body made of pieces (a page around a part kept in memory, src/http/viewEngine.ts)
 * without joining them: the pieces are written one after the other under one Content-Length.
 *
 * Joining them cost a new buffer the size of the page (about 200 KB for a timeline) on every
 * request, outside V8's heap. Freeing those buffers is the garbage collector's work, and once V8
 * had decided to allocate their handles in the old generation (it does so for objects that
 * outlived young collections, as they did while an export and an import slowed requests down),
 * only full collections freed them: one every 40-50 ms, and the timeline answered about 1,150
 * requests a second where it had answered 1,900 (PostgreSQL, 1M events, 10 connections,
 * 2026-12-01). Written in pieces, nothing the size of the page is allocated per request.
 *
 * Behaves as express's `res.send` does for a Buffer: the tag made before is set (a matching
 * `If-None-Match` gets 304 without a body), HEAD gets the headers only. When the anonymous page
 * cache is waiting for the body in `send`, the pieces are joined once and sent through it.
 */
export function sendParts(res: Response, parts: readonly Buffer[], tag: string | undefined): void {
  if (tag !== undefined) res.setHeader('ETag', tag);
  if (keepsBody(res)) {
    res.send(Buffer.concat(parts));
    return;
  }
  if (res.req.fresh) {
    res.status(304);
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.end();
    return;
  }
  res.setHeader(
    'Content-Length',
    parts.reduce((sum, part) => sum + part.length, 0),
  );
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  // Corked, the pieces leave in one write to the socket; end() uncorks.
  res.cork();
  for (const part of parts) res.write(part);
  res.end();
}
