/** A typed line → core input. Pure. */
import type { Button } from '../../core/card.js';
import { parseCommandText } from '../../core/commands/text.js';
import type { ParsedCommand } from '../../core/incoming.js';

export type TerminalInput =
  | { kind: 'command'; command: ParsedCommand }
  | { kind: 'press'; button: Button }
  | { kind: 'quit' }
  | { kind: 'empty' }
  | { kind: 'unknown'; text: string };

export function parseLine(line: string, buttons: readonly Button[]): TerminalInput {
  const text = line.trim();
  if (!text) return { kind: 'empty' };
  if (/^\/?(quit|exit)$/i.test(text)) return { kind: 'quit' };
  if (/^\/stretch(\s|$)/i.test(text)) return { kind: 'command', command: parseCommandText(text) };
  const byNumber = /^\[?(\d+)\]?$/.exec(text);
  if (byNumber) {
    const button = buttons[Number(byNumber[1]) - 1];
    return button ? { kind: 'press', button } : { kind: 'unknown', text };
  }
  const wanted = text.toLowerCase();
  const button = buttons.find((b) => b.label.toLowerCase() === wanted);
  return button ? { kind: 'press', button } : { kind: 'unknown', text };
}
