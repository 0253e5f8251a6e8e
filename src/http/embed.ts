import type { Request, Response } from 'express';
import { format } from 'date-fns/format';

/** The site's own address as the request reached it, for links inside embedded pictures. */
export function siteBase(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** Sends a standalone SVG picture. */
export function sendSvg(res: Response, svg: string): void {
  res.type('image/svg+xml; charset=utf-8');
  res.set('Cache-Control', 'public, max-age=300');
  // Pictures are made to be shown on other sites; helmet's same-origin default would block them there.
  res.set('Cross-Origin-Resource-Policy', 'cross-origin');
  res.send(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`);
}

/** The HTML a journalist pastes into an article: the picture, linked to the page it comes from. */
export function embedSnippet(pageHref: string, svgHref: string, alt: string): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<a href="${attr(pageHref)}"><img src="${attr(svgHref)}" alt="${attr(alt)}" width="100%"></a>`;
}

export function drawnOn(): string {
  return format(new Date(), 'd MMMM yyyy');
}

/**
 * Lets other sites show the pictures (`*.svg`): helmet answers every response with
 * Cross-Origin-Resource-Policy: same-origin. Mounted before the page cache, so a picture
 * served from memory carries the header too.
 */
export function embeddablePictures(req: Request, res: Response, next: () => void): void {
  if (req.method === 'GET' && req.path.endsWith('.svg')) res.set('Cross-Origin-Resource-Policy', 'cross-origin');
  next();
}
