/**
 * Pictures rendered once per content version and kept on disk. A picture's file name carries
 * a hash of its pose and the renderer version, so a changed pose gets new files (and an HTTP
 * server may serve them with long cache headers), and a start-up whose files already exist
 * renders nothing: it hashes twelve small objects and checks that the files are there. The
 * raster step (and resvg's native module) is only imported when something must be drawn.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalogue, Exercise } from '../core/catalogue.js';
import type { Pose } from './pose.js';
import { RENDERER_VERSION } from './svg.js';
import { pngToHalfBlocks, type ColorMode } from './terminal-art.js';

export const DEFAULT_PICTURE_DIR = './data/pictures';

export interface Picture {
  exerciseId: string;
  hash: string;
  pngPath: string;
  gifPath: string;
  /** File names, e.g. cat-cow-1a2b3c4d.png: what an HTTP route or a Discord attachment is called. */
  pngFile: string;
  gifFile: string;
  alt: string;
  /** The exercise is done on each side and the picture shows one of them. */
  perSide?: boolean;
}

/** The logger method the store uses (pino's Logger fits). */
export interface PictureLogger {
  info(obj: object, msg: string): void;
}

export interface WarmResult {
  /** Exercises whose files had to be drawn now. */
  rendered: string[];
  /** Exercises whose files were already there. */
  reused: string[];
}

export interface PictureStore {
  /** The picture of an exercise once warm() has made sure its files exist; undefined without a pose. */
  get(exerciseId: string): Picture | undefined;
  /** Draws whatever is missing from the cache. Call once at start-up (it is cheap when warm). */
  warm(): Promise<WarmResult>;
  /** The still as text art for a terminal (drawn on first use, then kept in memory). */
  terminalArt(exerciseId: string, opts?: { columns?: number; color?: ColorMode }): Promise<string | undefined>;
}

/** Short content hash of what the picture depends on: the pose and how it is drawn. */
export function pictureHash(pose: Pose): string {
  return createHash('sha256').update(JSON.stringify({ v: RENDERER_VERSION, pose: canonical(pose) })).digest('hex').slice(0, 16);
}

/** Same data, keys sorted, so the hash does not depend on the order keys were written in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function createPictureStore(opts: { catalogue: Catalogue; cacheDir?: string; logger?: PictureLogger }): PictureStore {
  const dir = opts.cacheDir ?? DEFAULT_PICTURE_DIR;
  const pictures = new Map<string, Picture>();
  const art = new Map<string, string>();

  const describe = (ex: Exercise & { pose: Pose }): Picture => {
    const hash = pictureHash(ex.pose);
    const base = `${ex.id}-${hash.slice(0, 8)}`;
    return {
      exerciseId: ex.id,
      hash,
      pngFile: `${base}.png`,
      gifFile: `${base}.gif`,
      pngPath: join(dir, `${base}.png`),
      gifPath: join(dir, `${base}.gif`),
      alt: ex.pose.alt,
      ...(ex.timing.perSide ? { perSide: true } : {}),
    };
  };

  const withPose = () => [...opts.catalogue.exercises.values()].filter((ex): ex is Exercise & { pose: Pose } => ex.pose !== undefined);

  return {
    get: (exerciseId) => pictures.get(exerciseId),

    async warm() {
      const result: WarmResult = { rendered: [], reused: [] };
      // An exercise without a pose is simply skipped: the content loader's warnings name it (with its file).
      for (const ex of withPose()) {
        const picture = describe(ex);
        if (existsSync(picture.pngPath) && existsSync(picture.gifPath)) {
          result.reused.push(ex.id);
        } else {
          const raster = await import('./raster.js');
          mkdirSync(dir, { recursive: true });
          writeAtomically(picture.pngPath, raster.poseToPng(ex.pose));
          writeAtomically(picture.gifPath, raster.poseToGif(ex.pose));
          result.rendered.push(ex.id);
        }
        pictures.set(ex.id, picture);
      }
      if (result.rendered.length) opts.logger?.info({ rendered: result.rendered.length, dir }, 'exercise pictures drawn');
      return result;
    },

    async terminalArt(exerciseId, artOpts = {}) {
      const ex = opts.catalogue.exercises.get(exerciseId);
      if (!ex?.pose) return undefined;
      const key = `${exerciseId}:${artOpts.columns ?? ''}:${artOpts.color ?? ''}`;
      const cached = art.get(key);
      if (cached !== undefined) return cached;
      const raster = await import('./raster.js');
      const { poseToSvg } = await import('./svg.js');
      const columns = artOpts.columns ?? 60;
      const text = pngToHalfBlocks(raster.svgToPixels(poseToSvg(ex.pose), columns), { color: artOpts.color });
      art.set(key, text);
      return text;
    },
  };
}

/** Write then rename, so a reader (or a crash) never sees half a file under the final name. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}
