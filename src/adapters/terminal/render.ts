/** Card → terminal text: the shared plain-text rendering, with buttons as a numbered list to type. Pure. */
import type { Button, Reply } from '../../core/card.js';
import { plainTextBody } from '../shared/plain-text.js';

const RULE_WIDTH = 48;

export function renderButtons(buttons: readonly Button[]): string {
  return buttons.map((b, i) => `[${i + 1}] ${b.label}`).join('  ');
}

export function renderReply(reply: Reply): string {
  const { card } = reply;
  const lines: string[] = [];
  const heading = `── ${card.title} `;
  lines.push(heading + '─'.repeat(Math.max(3, RULE_WIDTH - heading.length)));
  if (reply.target === 'dm') lines.push('(sent to your direct messages)');
  lines.push(...plainTextBody(card));
  if (card.buttons?.length) lines.push('', renderButtons(card.buttons));
  return lines.join('\n') + '\n';
}
