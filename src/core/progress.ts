const FILLED = '▰';
const EMPTY = '▱';
/** Wider bars wrap badly on phones; long routines are scaled down to this. */
export const PROGRESS_BAR_MAX_CELLS = 20;

/** `Step 4 of 12 ▰▰▰▰▱▱▱▱▱▱▱▱` (1-based current). */
export function progressLine(current: number, total: number): string {
  return `Step ${current} of ${total} ${progressBar(current, total)}`;
}

export function progressBar(current: number, total: number): string {
  if (total <= 0) return '';
  const cells = Math.min(total, PROGRESS_BAR_MAX_CELLS);
  const clamped = Math.min(Math.max(current, 0), total);
  const filled = Math.round((clamped / total) * cells);
  return FILLED.repeat(filled) + EMPTY.repeat(cells - filled);
}
