/**
 * Slack-only picture behaviour: Slack loads an image block's picture from the bot's own HTTP
 * server (PUBLIC_URL/images/<file>), so what is served there, with which headers, and what is
 * not served at all, is tested here against the real app. That every step shows the right
 * picture is in the shared suite (test/adapters-sessions.test.ts).
 */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchFromBot, SlackDriver, TEST_PUBLIC_URL } from './support/drivers/slack.js';

/** Sends a path exactly as written (fetch would tidy `..` away before sending it). */
function rawGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Slack pictures with PUBLIC_URL and PORT', () => {
  const d = new SlackDriver();
  beforeAll(() => d.start());
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  const imageBlock = (m: { raw: unknown }) => (m.raw as { blocks: Record<string, string>[] }).blocks.find((b) => b.type === 'image');
  const port = () => (d.app.http!.server.address() as { port: number }).port;

  it('each step has an image block under PUBLIC_URL/images/, with alt text; the bot serves it with long cache headers', async () => {
    const ann = d.user('ann');
    const msg = await d.command(ann, 'start neck');
    const neck = d.app.catalogue.routines.find((r) => r.id === 'neck')!.exerciseIds;
    const first = d.app.pictures.get(neck[0]!)!;
    const block = imageBlock(msg)!;
    expect(block).toEqual({ type: 'image', image_url: `${TEST_PUBLIC_URL}/images/${first.gifFile}`, alt_text: first.alt });

    const res = await fetchFromBot(d.app, block.image_url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(first.gifPath))).toBe(true);
    // The still is there too, as a PNG.
    const png = await fetchFromBot(d.app, `${TEST_PUBLIC_URL}/images/${first.pngFile}`);
    expect([png.status, png.headers.get('content-type')]).toEqual([200, 'image/png']);

    await d.click(ann, msg, 'Next');
    const next = imageBlock(msg)!;
    expect(next.image_url).toBe(`${TEST_PUBLIC_URL}/images/${d.app.pictures.get(neck[1]!)!.gifFile}`);
    expect(next.image_url).not.toBe(block.image_url);
  });

  it('serves nothing but the pictures: unknown files and path tricks are 404', async () => {
    for (const path of [
      '/images/nope.gif',
      '/images/',
      '/images/../package.json',
      '/images/%2e%2e/package.json',
      '/images/..%2fpackage.json',
      '/images/%2e%2e%2f%2e%2e%2fpackage.json',
      '/images/..%5cpackage.json',
      '/images/%zz',
    ]) {
      expect(await rawGet(port(), path), path).toBe(404);
    }
  });
});

describe('Slack without PUBLIC_URL (Socket Mode on a laptop)', () => {
  const d = new SlackDriver({ noPublicUrl: true });
  beforeAll(() => d.start());
  afterEach(() => d.verify());
  afterAll(() => d.stop());

  it('shows the steps without a picture, since Slack could not load one', async () => {
    const bo = d.user('bo');
    const msg = await d.command(bo, 'start neck');
    expect(msg.title).toBe('Neck Rolls (warm-up)');
    expect(await msg.picture()).toBeUndefined();
    expect(d.app.http).toBeUndefined();
  });
});
