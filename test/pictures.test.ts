import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Catalogue, Exercise } from '../src/core/catalogue.js';
import type { Pose } from '../src/core/pose.js';
import { GIF_WIDTH, PNG_WIDTH, svgToPixels } from '../src/pictures/raster.js';
import { createPictureStore, pictureHash } from '../src/pictures/store.js';
import { animationFrames, keyframePointMargin, keyframeScreenPoints, poseToSvg, VIEW_HEIGHT, VIEW_WIDTH } from '../src/pictures/svg.js';
import { colorModeFromEnv, pngToHalfBlocks } from '../src/pictures/terminal-art.js';
import { shippedCatalogue } from './support/coach.js';

const catalogue = shippedCatalogue();
const posed = [...catalogue.exercises.values()].map((ex) => [ex.id, ex.pose!] as const);
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'stretch-pictures-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Walks a GIF's blocks: image count, loop extension, logical screen width. */
function readGif(bytes: Uint8Array) {
  const header = Buffer.from(bytes.subarray(0, 6)).toString('latin1');
  const width = bytes[6]! | (bytes[7]! << 8);
  let i = 13;
  if (bytes[10]! & 0x80) i += 3 * 2 ** ((bytes[10]! & 7) + 1);
  let images = 0;
  let loops = false;
  const skipSubBlocks = () => {
    while (bytes[i]! !== 0) i += bytes[i]! + 1;
    i++;
  };
  while (i < bytes.length && bytes[i] !== 0x3b) {
    if (bytes[i] === 0x21) {
      const label = bytes[i + 1];
      if (label === 0xff && Buffer.from(bytes.subarray(i + 3, i + 14)).toString('latin1') === 'NETSCAPE2.0') loops = true;
      i += 2;
      skipSubBlocks();
    } else if (bytes[i] === 0x2c) {
      images++;
      const packed = bytes[i + 9]!;
      i += 10;
      if (packed & 0x80) i += 3 * 2 ** ((packed & 7) + 1);
      i++; // LZW minimum code size
      skipSubBlocks();
    } else {
      throw new Error(`unexpected GIF block 0x${bytes[i]!.toString(16)} at ${i}`);
    }
  }
  return { header, width, images, loops, ended: bytes[i] === 0x3b };
}

describe('pose pictures: SVG', () => {
  it('every shipped exercise has a pose', () => {
    expect(posed.filter(([, pose]) => !pose).map(([id]) => id)).toEqual([]);
  });

  it.each(posed)('%s: the SVG is stable', (_id, pose) => {
    const svg = poseToSvg(pose);
    expect(svg).toBe(poseToSvg(pose));
    expect(svg).toMatchSnapshot();
  });

  it.each(posed)('%s: every point of every keyframe is inside the frame', (_id, pose) => {
    const margin = keyframePointMargin(pose);
    for (const [k, points] of keyframeScreenPoints(pose).entries()) {
      for (const [name, p] of Object.entries(points)) {
        const where = `keyframe ${k} ${name} at (${p.x.toFixed(1)}, ${p.y.toFixed(1)})`;
        expect(p.x, where).toBeGreaterThanOrEqual(margin);
        expect(p.x, where).toBeLessThanOrEqual(VIEW_WIDTH - margin);
        expect(p.y, where).toBeGreaterThanOrEqual(margin);
        expect(p.y, where).toBeLessThanOrEqual(VIEW_HEIGHT - margin);
      }
    }
  });

  it('says which side a per-side picture shows, and prints numbers with one decimal', () => {
    const svg = poseToSvg(catalogue.exercises.get('knee-to-chest')!.pose!);
    expect(svg).toContain('Right side shown, then switch sides');
    expect(svg.replace(/opacity="[0-9.]+"/g, '')).not.toMatch(/\d\.\d\d/);
    expect(poseToSvg(catalogue.exercises.get('cat-cow')!.pose!)).not.toContain('<text');
  });

  it('animates by resting on each keyframe and looping back to the first', () => {
    const pose = catalogue.exercises.get('neck-flexion')!.pose!;
    const frames = animationFrames(pose, 10);
    expect(frames[0]).toEqual({ frame: { from: 0, to: 0, t: 0 }, delayMs: pose.keyframes[0]!.hold * 1000 });
    expect(frames.filter((f) => f.frame.t === 0)).toHaveLength(2);
    expect(frames.at(-1)!.frame).toMatchObject({ from: 1, to: 0 });
  });
});

describe('pose pictures: files and cache', () => {
  const dir = tempDir();
  const store = createPictureStore({ catalogue, cacheDir: dir });
  const first = store.warm();

  it('draws every exercise once: a PNG and a looping GIF of at most 400 KB', async () => {
    const { rendered, reused } = await first;
    expect(rendered).toHaveLength(12);
    expect(reused).toEqual([]);
    for (const [id] of posed) {
      const picture = store.get(id)!;
      expect(picture.pngFile).toMatch(new RegExp(`^${id}-[0-9a-f]{8}\\.png$`));
      expect(picture.alt.length).toBeGreaterThan(20);
      const png = readFileSync(picture.pngPath);
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.readUInt32BE(16)).toBe(PNG_WIDTH);
      const gifBytes = readFileSync(picture.gifPath);
      expect(gifBytes.length, `${id}.gif`).toBeLessThanOrEqual(400 * 1024);
      const gif = readGif(gifBytes);
      expect(gif).toMatchObject({ header: 'GIF89a', width: GIF_WIDTH, loops: true, ended: true });
      expect(gif.images).toBeGreaterThanOrEqual(2);
    }
    expect(store.get('knee-to-chest')!.perSide).toBe(true);
    expect(store.get('cat-cow')!.perSide).toBeUndefined();
  }, 60_000);

  it('a second start-up renders nothing and leaves the files alone', async () => {
    await first;
    const mtimes = posed.map(([id]) => statSync(store.get(id)!.gifPath).mtimeMs);
    const again = createPictureStore({ catalogue, cacheDir: dir });
    const { rendered, reused } = await again.warm();
    expect(rendered).toEqual([]);
    expect(reused).toHaveLength(12);
    expect(posed.map(([id]) => statSync(again.get(id)!.gifPath).mtimeMs)).toEqual(mtimes);
    expect(again.get('cat-cow')).toEqual(store.get('cat-cow'));
  });

  it('a changed pose gets a new hash (and new files); key order does not matter', async () => {
    await first;
    const ex = catalogue.exercises.get('neck-flexion')!;
    const pose = ex.pose!;
    const bent: Pose = { ...pose, keyframes: [pose.keyframes[0]!, { ...pose.keyframes[1]!, angles: { ...pose.keyframes[1]!.angles, neck: 30 } }] };
    expect(pictureHash(bent)).not.toBe(pictureHash(pose));
    const reordered = Object.fromEntries(Object.entries(pose).reverse()) as unknown as Pose;
    expect(pictureHash(reordered)).toBe(pictureHash(pose));

    const changed: Catalogue = { ...catalogue, exercises: new Map([[ex.id, { ...ex, pose: bent }]]) };
    const store2 = createPictureStore({ catalogue: changed, cacheDir: dir });
    expect((await store2.warm()).rendered).toEqual([ex.id]);
    expect(store2.get(ex.id)!.gifFile).not.toBe(store.get(ex.id)!.gifFile);
  });

  it('an exercise without a pose has no picture (the loader warns about it, see the app start-up test)', async () => {
    const ex = catalogue.exercises.get('cat-cow')!;
    const { pose: _pose, ...bare } = ex;
    const store3 = createPictureStore({ catalogue: { ...catalogue, exercises: new Map([[ex.id, bare as Exercise]]) }, cacheDir: tempDir() });
    expect(await store3.warm()).toEqual({ rendered: [], reused: [] });
    expect(store3.get('cat-cow')).toBeUndefined();
  });
});

describe('pose pictures: terminal art', () => {
  const pixels = svgToPixels(poseToSvg(catalogue.exercises.get('jumping-jacks')!.pose!), 160);

  it('fits in 80 columns and has no escape codes without colour', () => {
    const plain = pngToHalfBlocks(pixels, { columns: 120, color: 'none' });
    for (const line of plain.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(plain).not.toContain('\x1b');
    expect(plain).toMatch(/[▀▄█]/);
  });

  it('colours cells with truecolor or 256-colour escapes, one ▀ per column', () => {
    const art = pngToHalfBlocks(pixels, { columns: 40, color: 'truecolor' });
    const first = art.split('\n')[0]!;
    expect(first).toContain('\x1b[38;2;');
    expect(first.replace(/\x1b\[[0-9;]*m/g, '')).toBe('▀'.repeat(40));
    expect(pngToHalfBlocks(pixels, { columns: 40, color: '256' })).toContain('\x1b[48;5;');
  });

  it('NO_COLOR turns colour off', () => {
    expect(colorModeFromEnv({ NO_COLOR: '1' })).toBe('none');
    expect(colorModeFromEnv({ COLORTERM: 'truecolor' })).toBe('truecolor');
    expect(colorModeFromEnv({})).toBe('256');
  });
});
