/**
 * A card as plain text: the notification and screen-reader fallback on chat platforms, and
 * the whole rendering in the terminal.
 */
import type { Card } from '../../core/card.js';
import { progressLine } from '../../core/progress.js';

/** Everything under the title: progress, paragraphs, fields, footer. */
export function plainTextBody(card: Card): string[] {
  const lines: string[] = [];
  if (card.progress) lines.push(progressLine(card.progress.current, card.progress.total));
  for (const s of card.sections) lines.push('', s);
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
