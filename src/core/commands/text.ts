/**
 * Typed `/stretch …` text → ParsedCommand, derived from the command table. Platforms with
 * typed options build the same shape from their own payloads.
 */
import type { ParsedCommand } from '../incoming.js';
import { findCommand, findGroup } from './table.js';
import type { CommandSpec } from './spec.js';

const unknownWord = (word: string): ParsedCommand => ({ name: 'help', options: {}, unknown: word });

/** `rest` commands: all of the words go to the first option. */
function restOptions(spec: CommandSpec, words: string[]): ParsedCommand['options'] {
  const first = spec.options[0];
  return first ? { [first.name]: words.join(' ') || undefined } : {};
}

function withWords(spec: CommandSpec, words: string[]): ParsedCommand {
  if (spec.text === 'rest') return { name: spec.path, options: restOptions(spec, words) };
  // `keyed`: `settings timezone Europe/Berlin`, one option named by its first word.
  const [key, ...value] = words;
  if (!key) return { name: spec.path, options: {} };
  const option = spec.options.find((o) => o.name === key.toLowerCase());
  if (!option) return unknownWord(`${spec.path} ${key}`);
  return { name: spec.path, options: { [option.name]: value.join(' ') } };
}

export function parseCommandText(input: string): ParsedCommand {
  const text = input.trim().replace(/^\/stretch\b/i, '').trim();
  if (!text) return { name: '', options: {} };
  const [first = '', ...rest] = text.split(/\s+/);
  const word = first.toLowerCase();

  const group = findGroup(word);
  if (group) {
    const [sub = '', ...subRest] = rest;
    const spec = findCommand(`${group.name} ${sub.toLowerCase()}`);
    if (spec) return withWords(spec, subRest);
    if (!sub) return { name: `${group.name} ${group.bare}`, options: {} };
    // `/stretch remind daily 15:00` is shorthand for `remind add daily 15:00`.
    const shorthand = group.shorthand && findCommand(`${group.name} ${group.shorthand}`);
    return shorthand ? withWords(shorthand, rest) : unknownWord(`${first} ${sub}`);
  }
  const spec = findCommand(word);
  return spec ? withWords(spec, rest) : unknownWord(first);
}
