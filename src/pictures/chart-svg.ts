/**
 * A habit chart → SVG (pure, deterministic), in the exercise pictures' style: the same
 * background, outline colour, accent and font, drawn through the same raster step.
 * `chartLayout` holds every number the picture shows, so tests check those, not pixels.
 */
import { dayLabel, mondayIndex } from '../core/habits/days.js';
import type { ChartData } from '../core/habits/chart.js';
import { FONT_FAMILY, VIEW_HEIGHT, VIEW_WIDTH } from './svg.js';

/** Bump when the drawing changes, so cached chart files are drawn again (part of the hash). */
export const CHART_RENDERER_VERSION = 1;

const COLORS = { background: '#fdf6ec', bar: '#2a9d8f', weekend: '#8fcfc6', axis: '#b9ad98', text: '#5c4a3a' } as const;
const PLOT = { left: 36, right: VIEW_WIDTH - 16, top: 44, bottom: VIEW_HEIGHT - 40 } as const;

export interface BarBox {
  day: number;
  value: number;
  x: number;
  width: number;
  /** Height in view units: the value's share of the axis maximum. */
  height: number;
  weekend: boolean;
}

export interface ChartLayout {
  /** The top of the value axis: the busiest day, at least 1. */
  axisMax: number;
  bars: BarBox[];
  /** Labels under the bars: the first day and each Monday after it. */
  labels: Array<{ x: number; text: string }>;
}

const n = (v: number) => (Math.round(v * 10) / 10).toFixed(1);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function chartLayout(chart: ChartData): ChartLayout {
  const axisMax = Math.max(1, ...chart.bars.map((b) => b.value));
  const slot = (PLOT.right - PLOT.left) / Math.max(1, chart.bars.length);
  const plotHeight = PLOT.bottom - PLOT.top;
  const bars = chart.bars.map((b, i) => ({
    day: b.day,
    value: b.value,
    x: PLOT.left + i * slot + slot * 0.15,
    width: slot * 0.7,
    height: (b.value / axisMax) * plotHeight,
    weekend: mondayIndex(b.day) >= 5,
  }));
  const labels = bars
    .filter((b, i) => i === 0 || mondayIndex(b.day) === 0)
    .map((b) => ({ x: b.x + b.width / 2, text: dayLabel(b.day).replace(/^\w+ /, '') }));
  return { axisMax, bars, labels };
}

export function chartSvg(chart: ChartData): string {
  const l = chartLayout(chart);
  const text = (x: number, y: number, s: string, size: number, anchor = 'middle') =>
    `<text x="${n(x)}" y="${n(y)}" text-anchor="${anchor}" font-family="${FONT_FAMILY}" font-weight="bold" font-size="${size}" fill="${COLORS.text}">${esc(s)}</text>`;
  const bars = l.bars
    .filter((b) => b.value > 0)
    .map((b) => `<rect x="${n(b.x)}" y="${n(PLOT.bottom - b.height)}" width="${n(b.width)}" height="${n(b.height)}" rx="2" fill="${b.weekend ? COLORS.weekend : COLORS.bar}"/>`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}" width="${VIEW_WIDTH}" height="${VIEW_HEIGHT}">` +
    `<rect width="${VIEW_WIDTH}" height="${VIEW_HEIGHT}" rx="18" fill="${COLORS.background}"/>` +
    text(VIEW_WIDTH / 2, 28, chart.title, 15) +
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="${COLORS.axis}" stroke-width="2"/>` +
    text(PLOT.left - 6, PLOT.top + 5, String(l.axisMax), 12, 'end') +
    text(PLOT.left - 6, PLOT.bottom, '0', 12, 'end') +
    bars.join('') +
    l.labels.map((lb) => text(lb.x, PLOT.bottom + 20, lb.text, 11)).join('') +
    text(VIEW_WIDTH / 2, VIEW_HEIGHT - 6, `${chart.measure} per day`, 11) +
    '</svg>'
  );
}
