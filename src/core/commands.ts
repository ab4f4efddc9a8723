/**
 * Turns `/stretch` text (Slack, terminal) into a ParsedCommand. Discord builds the same
 * shape from its typed options, so the handler sees one form whatever the platform.
 */
import type { ParsedCommand } from './incoming.js';

/** Subcommands and, for groups, their children. Order is the order help lists them in. */
export const SUBCOMMANDS = {
  start: [],
  dm: [],
  list: [],
  help: [],
  stats: [],
  group: [],
  optin: [],
  optout: [],
  pause: [],
  resume: [],
  settings: [],
  remind: ['add', 'list', 'remove'],
  schedule: ['add', 'list', 'remove', 'pause', 'resume'],
} as const satisfies Record<string, readonly string[]>;

type Name = keyof typeof SUBCOMMANDS;

const isName = (w: string): w is Name => Object.hasOwn(SUBCOMMANDS, w);

/** The option each simple subcommand takes from the rest of the text. */
const REST_OPTION: Partial<Record<Name, string>> = { start: 'routine', dm: 'routine', group: 'routine', pause: 'for' };

export function parseCommandText(input: string): ParsedCommand {
  const text = input.trim().replace(/^\/stretch\b/i, '').trim();
  if (!text) return { name: '', options: {} };
  const [first = '', ...restWords] = text.split(/\s+/);
  const word = first.toLowerCase();
  if (!isName(word)) return { name: 'help', options: {}, unknown: first };

  const children: readonly string[] = SUBCOMMANDS[word];
  if (children.length) {
    const sub = (restWords[0] ?? '').toLowerCase();
    if (children.includes(sub)) {
      return { name: `${word} ${sub}`, options: { text: restWords.slice(1).join(' ') || undefined } };
    }
    // `/stretch schedule` alone lists; `/stretch remind daily 15:00` is shorthand for add.
    if (!sub) return { name: `${word} list`, options: {} };
    if (word === 'remind') return { name: 'remind add', options: { text: restWords.join(' ') } };
    return { name: 'help', options: {}, unknown: `${first} ${restWords[0]}` };
  }

  const rest = restWords.join(' ') || undefined;
  if (word === 'settings') {
    const key = restWords[0]?.toLowerCase();
    if (key === 'timezone' || key === 'hours') return { name: 'settings', options: { [key]: restWords.slice(1).join(' ') || '' } };
    if (key) return { name: 'help', options: {}, unknown: `settings ${restWords[0]}` };
    return { name: 'settings', options: {} };
  }
  const option = REST_OPTION[word];
  return { name: word, options: option ? { [option]: rest } : {} };
}
