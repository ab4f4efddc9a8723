/** Card → terminal text: the shared plain-text rendering, with buttons as a numbered list to type. Pure. */
import type { Button, Reply } from '../../core/card.js';
import { plainTextBody } from '../shared/plain-text.js';

const RULE_WIDTH = 48;
/** Lines we print ourselves (the alt text under a picture) wrap here, so they fit 80 columns. */
export const TEXT_WIDTH = 78;

/** A card's picture as the terminal shows it: text art of the still, its alt text and where the animation is. */
export interface TerminalPicture {
  art: string;
  alt: string;
  gifPath: string;
}

export function renderButtons(buttons: readonly Button[]): string {
  return buttons.map((b, i) => `[${i + 1}] ${b.label}`).join('  ');
}

/** Breaks text into lines of at most `width` characters at spaces (a longer word gets a line of its own). */
export function wrap(text: string, width = TEXT_WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function renderReply(reply: Reply, picture?: TerminalPicture): string {
  const { card } = reply;
  const lines: string[] = [];
  const heading = `── ${card.title} `;
  lines.push(heading + '─'.repeat(Math.max(3, RULE_WIDTH - heading.length)));
  if (reply.target === 'dm') lines.push('(sent to your direct messages)');
  if (picture) lines.push(picture.art, ...wrap(picture.alt), `Animation: ${picture.gifPath}`);
  lines.push(...plainTextBody(card));
  if (card.buttons?.length) lines.push('', renderButtons(card.buttons));
  return lines.join('\n') + '\n';
}
