/** Help lines, derived from the command table. */
import type { CommandSpec, OptionSpec } from './spec.js';

const placeholder = (o: OptionSpec) => o.hint ?? o.name;

function usage(spec: CommandSpec): string {
  if (spec.text === 'keyed') return spec.options.map((o) => ` [${o.name} <${placeholder(o)}>]`).join('');
  return spec.options.map((o) => (o.required ? ` <${placeholder(o)}>` : ` [${placeholder(o)}]`)).join('');
}

/** One line per command: `/stretch pause <2h|1d|today|1w>: Pause all stretch DMs for a while`. */
export function helpLines(commands: readonly CommandSpec[]): string[] {
  return [
    '/stretch: pick a routine',
    ...commands.map((c) => `/stretch ${c.path}${usage(c)}: ${c.description}${c.access === 'admins' ? ' (admins)' : ''}`),
  ];
}
