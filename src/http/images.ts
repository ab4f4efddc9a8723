/**
 * GET /images/<file>: the exercise pictures, for platforms that load them by URL (Slack's
 * image blocks). Only files the picture store names are served, looked up by exact name, so no
 * request path ever reaches the file system (`..`, encoded or not, is simply an unknown name).
 * File names carry the content hash, so a picture never changes under its URL: caches may keep
 * it for a year.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { HttpHandler } from './server.js';

export const IMAGES_PREFIX = '/images/';

export const IMAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = { '.gif': 'image/gif', '.png': 'image/png' };

/** The public address of a picture file served by imagesHandler. */
export function imageUrl(publicUrl: string, file: string): string {
  return `${publicUrl}${IMAGES_PREFIX}${encodeURIComponent(file)}`;
}

/** `files`: servable file name → path on disk (the store's pngFile/gifFile → pngPath/gifPath). */
export function imagesHandler(files: ReadonlyMap<string, string>): HttpHandler {
  return async (req, res) => {
    const raw = (req.url ?? '').split('?')[0]!.slice(IMAGES_PREFIX.length);
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      name = '';
    }
    const path = files.get(name);
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
    if (!path || !type) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found');
      return;
    }
    const { size } = await stat(path);
    res.writeHead(200, { 'content-type': type, 'content-length': String(size), 'cache-control': IMAGE_CACHE_CONTROL });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      createReadStream(path).on('error', reject).on('end', resolve).pipe(res);
    });
  };
}
