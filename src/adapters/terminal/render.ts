/** Card → terminal text. Pure; buttons become a numbered list the user can type. */
import type { Button, Reply } from '../../core/card.js';
import { progressLine } from '../../core/progress.js';

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
  if (card.progress) lines.push(progressLine(card.progress.current, card.progress.total));
  for (const section of card.sections) lines.push('', section);
  if (card.fields?.length) {
    lines.push('');
    for (const f of card.fields) lines.push(`${f.label}: ${f.value}`);
  }
  if (card.footer) lines.push('', card.footer);
  if (card.buttons?.length) lines.push('', renderButtons(card.buttons));
  return lines.join('\n') + '\n';
}
