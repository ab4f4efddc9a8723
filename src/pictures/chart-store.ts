/**
 * Habit charts as PNG files, drawn when first asked for and kept on disk under a hash of their
 * numbers (the same week gives the same file, so a second look draws nothing). Chat platforms
 * need the file while a reply is rendered, which is synchronous, so the raster step is loaded
 * once beforehand (`load`); the terminal draws its text art asynchronously and needs no load.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChartData } from '../core/habits/chart.js';
import { CHART_RENDERER_VERSION, chartSvg } from './chart-svg.js';
import { pngToHalfBlocks, type ColorMode } from './terminal-art.js';

type Raster = typeof import('./raster.js');

export interface ChartFile {
  file: string;
  path: string;
}

export interface ChartStore {
  /** Loads the raster step so `chart` can draw; call once when a chat platform runs. */
  load(): Promise<void>;
  /** The chart's PNG, drawn now if missing; undefined before `load`. */
  chart(data: ChartData): ChartFile | undefined;
  /** The path of a chart file drawn earlier, by name (for GET /images/). */
  path(file: string): string | undefined;
  /** The chart as half-block text art for a terminal. */
  art(data: ChartData, opts: { columns: number; color: ColorMode }): Promise<string>;
}

export function chartHash(data: ChartData): string {
  return createHash('sha256').update(JSON.stringify({ v: CHART_RENDERER_VERSION, data })).digest('hex').slice(0, 16);
}

export function createChartStore(dir: string): ChartStore {
  let raster: Raster | undefined;
  const drawn = new Map<string, string>();
  return {
    async load() {
      raster ??= await import('./raster.js');
    },
    chart(data) {
      if (!raster) return undefined;
      const file = `chart-${chartHash(data)}.png`;
      const path = join(dir, file);
      if (!existsSync(path)) {
        mkdirSync(dir, { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, raster.svgToPng(chartSvg(data)));
        renameSync(tmp, path);
      }
      drawn.set(file, path);
      return { file, path };
    },
    path: (file) => drawn.get(file),
    async art(data, opts) {
      raster ??= await import('./raster.js');
      return pngToHalfBlocks(raster.svgToPixels(chartSvg(data), opts.columns), { color: opts.color });
    },
  };
}
