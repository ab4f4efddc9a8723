/**
 * The shape of one `/stretch` command: data (name, options, help, who may run it, where it
 * works) beside its handler. The text parser, the help card, the chat platforms' command
 * definitions and the admin gate are all derived from a list of these.
 */
import type { Reply } from '../card.js';
import type { CoreDeps } from '../deps.js';
import type { IncomingCommand } from '../incoming.js';

/**
 * `routine`: one of the catalogue's routine ids (platforms may offer them as choices).
 * `text`: free text the handler reads.
 */
export type OptionKind = 'routine' | 'text';

export interface OptionSpec {
  name: string;
  kind: OptionKind;
  /** One line for people; platforms show it next to the option (at most 100 characters). */
  description: string;
  required?: boolean;
  maxLength?: number;
  /** How help shows the value, e.g. `2h|1d|today|1w`; defaults to the option's name. */
  hint?: string;
}

export type Access = 'everyone' | 'admins';

/**
 * `anywhere`: also in a conversation that cannot post messages to others.
 * `chat`: the command posts to channels or DMs (schedules, opt-ins, group prompts).
 */
export type Where = 'anywhere' | 'chat';

export type CommandHandler = (cmd: IncomingCommand, deps: CoreDeps) => Promise<Reply[]>;

export interface CommandSpec {
  /** `start`, or `group sub` for a subcommand of a group: `schedule add`. */
  path: string;
  /** What it does, in one line (at most 100 characters): help and platform listings. */
  description: string;
  options: readonly OptionSpec[];
  /**
   * How typed text fills the options. `rest`: everything after the name goes to the first
   * option. `keyed`: `name value` with one option named, as in `settings timezone Europe/Berlin`.
   */
  text: 'rest' | 'keyed';
  access: Access;
  where: Where;
  run: CommandHandler;
}

export interface GroupSpec {
  name: string;
  description: string;
  /** The subcommand that `/stretch <group>` alone runs. */
  bare: string;
  /** When set, `/stretch <group> <anything else>` runs this subcommand with all of the text. */
  shorthand?: string;
}

type CommandInput = Pick<CommandSpec, 'path' | 'description' | 'run'> & Partial<Omit<CommandSpec, 'path' | 'description' | 'run'>>;

/** Fills the defaults, so an entry only states what is special about it. */
export const command = (spec: CommandInput): CommandSpec => ({ options: [], text: 'rest', access: 'everyone', where: 'anywhere', ...spec });

export const routineOption = (description: string): OptionSpec => ({ name: 'routine', kind: 'routine', description });
