/**
 * A card as plain text: the notification and screen-reader fallback on chat platforms, and
 * the whole rendering in the terminal.
 */
import type { Card } from '../../core/card.js';

/** A clock time in UTC, e.g. `09:00:30 UTC`: the same on every machine, so output is predictable. */
export const utcClock = (ms: number): string => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

/** A running hold timer in words, for surfaces that cannot count down by themselves. */
export const timerLine = (timer: NonNullable<Card['timer']>): string => `⏱ Ends at ${utcClock(timer.endsAt)} (${timer.seconds} s)`;
import { progressLine } from '../../core/progress.js';

/** Everything under the title: progress, paragraphs, fields, footer. */
export function plainTextBody(card: Card): string[] {
  const lines: string[] = [];
  if (card.progress) lines.push(progressLine(card.progress.current, card.progress.total));
  for (const s of card.sections) lines.push('', s);
  if (card.timer) lines.push('', timerLine(card.timer));
  if (card.fields?.length) {
    lines.push('');
    for (const f of card.fields) lines.push(`${f.label}: ${f.value}`);
  }
  if (card.footer) lines.push('', card.footer);
  return lines;
}

export function cardToPlainText(card: Card): string {
  return [card.title, ...plainTextBody(card)].join('\n');
}
