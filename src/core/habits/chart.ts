/**
 * The numbers behind a habit chart (pure): one bar per day, oldest first. Renderers draw these
 * and nothing else, so tests check the numbers instead of pixels.
 */
import { dayLabel } from './days.js';
import type { DayTotals } from './streaks.js';

export type ChartMeasure = 'sessions' | 'minutes';

export interface ChartBar {
  day: number;
  value: number;
}

export interface ChartData {
  title: string;
  measure: ChartMeasure;
  bars: ChartBar[];
}

/** Days in the personal chart: the last four weeks, today included. */
export const PERSONAL_CHART_DAYS = 28;

const valueOf = (d: DayTotals | undefined, measure: ChartMeasure): number =>
  !d ? 0 : measure === 'sessions' ? d.sessions : Math.round(d.seconds / 60);

/** `count` days ending today, missing days as zero. */
export function chartOf(title: string, days: readonly DayTotals[], today: number, count: number, measure: ChartMeasure): ChartData {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const bars = Array.from({ length: count }, (_, i) => {
    const day = today - count + 1 + i;
    return { day, value: valueOf(byDay.get(day), measure) };
  });
  return { title, measure, bars };
}

/** Every number of the chart in words: the picture's alt text, and the chart where no picture can go. */
export function chartAltText(chart: ChartData): string {
  const first = chart.bars[0];
  const last = chart.bars.at(-1);
  if (!first || !last) return `${chart.title}: no days.`;
  const total = chart.bars.reduce((n, b) => n + b.value, 0);
  const values = chart.bars.map((b) => b.value).join(', ');
  return `${chart.title}: ${chart.measure} per day from ${dayLabel(first.day)} to ${dayLabel(last.day)}: ${values} (total ${total}).`;
}

const LEVELS = '▁▂▃▄▅▆▇█';

/**
 * The chart as one line of text art: a block per day, its height the day's share of the
 * busiest day (an empty day is a dot), weeks apart from the last day backwards.
 */
export function chartText(chart: ChartData): string {
  const max = Math.max(0, ...chart.bars.map((b) => b.value));
  const cells = chart.bars.map((b) => (b.value === 0 || max === 0 ? '·' : LEVELS[Math.max(0, Math.ceil((b.value / max) * LEVELS.length) - 1)]!));
  const weeks: string[] = [];
  for (let end = cells.length; end > 0; end -= 7) weeks.unshift(cells.slice(Math.max(0, end - 7), end).join(''));
  return `${weeks.join(' ')}  (most: ${max} ${chart.measure} a day)`;
}
