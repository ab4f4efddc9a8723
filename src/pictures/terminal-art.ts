/**
 * A still picture as text for terminals (pure): each character cell shows two pixels stacked,
 * the upper as the foreground of "▀" and the lower as its background, so a 60-column
 * rendering has 60×(2×rows) pixels. Without colour (NO_COLOR) the cells fall back to
 * " ▀▄█" by brightness: the shape stays readable and no escape code is printed.
 */
import type { Pixels } from './raster.js';

export type ColorMode = 'truecolor' | '256' | 'none';

/** The widest art we print, so it fits a standard 80-column terminal. */
export const MAX_COLUMNS = 80;

/** NO_COLOR (any value) turns colour off; otherwise truecolor where the terminal says so, else 256. */
export function colorModeFromEnv(env: Record<string, string | undefined>): ColorMode {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'none';
  return env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit' ? 'truecolor' : '256';
}

export function pngToHalfBlocks(pixels: Pixels, opts: { columns?: number; color?: ColorMode } = {}): string {
  const columns = Math.min(MAX_COLUMNS, opts.columns ?? Math.min(pixels.width, MAX_COLUMNS));
  const color = opts.color ?? 'truecolor';
  // Each cell is about twice as tall as wide, and holds two pixels: keep the aspect ratio.
  const rows = Math.max(1, Math.round((pixels.height / pixels.width) * columns / 2));
  const sample = (cx: number, py: number): [number, number, number] => {
    // Average the source block behind this half-cell, over white. resvg's pixels are
    // premultiplied (colour already scaled by alpha), so only the white needs weighting.
    const x0 = Math.floor((cx * pixels.width) / columns);
    const x1 = Math.max(x0 + 1, Math.floor(((cx + 1) * pixels.width) / columns));
    const y0 = Math.floor((py * pixels.height) / (rows * 2));
    const y1 = Math.max(y0 + 1, Math.floor(((py + 1) * pixels.height) / (rows * 2)));
    let r = 0, g = 0, b = 0, count = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * pixels.width + x) * 4;
        const a = pixels.data[i + 3]! / 255;
        r += pixels.data[i]! + 255 * (1 - a);
        g += pixels.data[i + 1]! + 255 * (1 - a);
        b += pixels.data[i + 2]! + 255 * (1 - a);
        count++;
      }
    }
    return [Math.round(r / count), Math.round(g / count), Math.round(b / count)];
  };
  const lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    let line = '';
    for (let cx = 0; cx < columns; cx++) {
      const top = sample(cx, row * 2);
      const bottom = sample(cx, row * 2 + 1);
      if (color === 'none') line += plainCell(top, bottom);
      else line += `${fg(top, color)}${bg(bottom, color)}▀`;
    }
    lines.push(color === 'none' ? line.trimEnd() : `${line}\x1b[0m`);
  }
  return lines.join('\n');
}

/** Light pixels (the background) are blank, dark ones are ink. */
function plainCell(top: number[], bottom: number[]): string {
  const ink = (c: number[]) => 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]! < 200;
  const t = ink(top);
  const b = ink(bottom);
  return t && b ? '█' : t ? '▀' : b ? '▄' : ' ';
}

const fg = (c: number[], mode: ColorMode) => (mode === 'truecolor' ? `\x1b[38;2;${c[0]};${c[1]};${c[2]}m` : `\x1b[38;5;${to256(c)}m`);
const bg = (c: number[], mode: ColorMode) => (mode === 'truecolor' ? `\x1b[48;2;${c[0]};${c[1]};${c[2]}m` : `\x1b[48;5;${to256(c)}m`);

/** Nearest colour of the 6×6×6 cube in the 256-colour palette. */
function to256(c: number[]): number {
  const level = (v: number) => (v < 48 ? 0 : v < 115 ? 1 : Math.floor((v - 35) / 40));
  return 16 + 36 * level(c[0]!) + 6 * level(c[1]!) + level(c[2]!);
}
