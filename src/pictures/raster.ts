/**
 * SVG → pixels with resvg, and a pose → PNG still and looping GIF. This is the slow part (a few
 * milliseconds per frame), which is why store.ts caches its output on disk and never calls it
 * per message.
 */
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as gifencModule from 'gifenc';
import { PACKAGE_ROOT } from '../package-root.js';
import type { Pose } from './pose.js';
import { animationFrames, FONT_FAMILY, poseToSvg } from './svg.js';

// Node loads gifenc's CommonJS build (everything under `default`); Vite (the tests) picks its
// ESM build, which has named exports. Take whichever is there.
const gifenc: gifencModule.Gifenc = 'quantize' in gifencModule && typeof gifencModule.quantize === 'function' ? gifencModule : gifencModule.default;

/** Shipped with the repo and the only font loaded, so text renders identically on every machine. */
export const FONT_FILE = join(PACKAGE_ROOT, 'assets/fonts/DejaVuSans-Bold.ttf');

export const PNG_WIDTH = 640;
export const GIF_WIDTH = 400;
/** Frames per second of the animation: smooth enough for a stretch, small enough for ≤ 400 KB. */
export const GIF_FPS = 12;
/** Colours in the GIF palette: flat art needs few, and fewer compress better. */
const GIF_COLORS = 64;

export interface Pixels {
  width: number;
  height: number;
  /** RGBA as resvg gives it (premultiplied alpha), 4 bytes per pixel, rows top to bottom. */
  data: Uint8Array;
}

function resvg(svg: string, width: number): Resvg {
  return new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    // Fonts are parsed only when there is text to draw: most frames have none.
    font: svg.includes('<text') ? { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY } : { loadSystemFonts: false },
  });
}

export function svgToPng(svg: string, width = PNG_WIDTH): Buffer {
  return resvg(svg, width).render().asPng();
}

export function svgToPixels(svg: string, width: number): Pixels {
  const img = resvg(svg, width).render();
  return { width: img.width, height: img.height, data: new Uint8Array(img.pixels) };
}

/** The still picture: the main keyframe, the others faintly behind it, motion arrows. */
export function poseToPng(pose: Pose, width = PNG_WIDTH): Buffer {
  return svgToPng(poseToSvg(pose), width);
}

/** An animated GIF that loops through the keyframes forever. */
export function poseToGif(pose: Pose, width = GIF_WIDTH): Uint8Array {
  const frames = animationFrames(pose, GIF_FPS).map((f) => ({ ...f, pixels: svgToPixels(poseToSvg(pose, { frame: f.frame }), width) }));
  // One palette for the whole loop (from the keyframes, which hold every colour used), so
  // colours do not flicker between frames and only the first frame carries a colour table.
  const keyframes = frames.filter((f) => f.frame.t === 0).map((f) => f.pixels.data);
  const sample = new Uint8Array(keyframes.reduce((sum, k) => sum + k.length, 0));
  keyframes.reduce((at, k) => (sample.set(k, at), at + k.length), 0);
  const palette = gifenc.quantize(sample, GIF_COLORS);
  const gif = gifenc.GIFEncoder();
  frames.forEach((f, i) => {
    const index = gifenc.applyPalette(f.pixels.data, palette);
    gif.writeFrame(index, f.pixels.width, f.pixels.height, { palette: i === 0 ? palette : undefined, delay: f.delayMs, repeat: 0 });
  });
  gif.finish();
  return gif.bytes();
}
