/**
 * Every `/stretch` command, once. The order is the order help and the platforms list them in.
 * Adding a command is one entry here plus its handler beside its definition.
 */
import { ephemeral } from '../card.js';
import { HABIT_COMMANDS } from '../habits/commands.js';
import { ROUTINE_COMMANDS } from '../routine-commands.js';
import { OPT_IN_COMMANDS, REMIND_COMMANDS, REMIND_GROUP, SETTINGS_COMMAND } from '../team/personal-commands.js';
import { GROUP_COMMAND } from '../team/group-actions.js';
import { SCHEDULE_COMMANDS, SCHEDULE_GROUP } from '../team/schedule-commands.js';
import { helpCard } from '../views.js';
import { helpLines } from './help.js';
import { command, type CommandSpec, type GroupSpec } from './spec.js';

const HELP_COMMAND = command({
  path: 'help',
  description: 'What the stretch coach can do',
  run: async (cmd, deps) => [ephemeral(helpCard(deps.catalogue, helpLines(COMMANDS), cmd.command.unknown))],
});

export const COMMANDS: readonly CommandSpec[] = [
  ...ROUTINE_COMMANDS,
  ...HABIT_COMMANDS,
  HELP_COMMAND,
  GROUP_COMMAND,
  ...OPT_IN_COMMANDS,
  SETTINGS_COMMAND,
  ...REMIND_COMMANDS,
  ...SCHEDULE_COMMANDS,
];

export const GROUPS: readonly GroupSpec[] = [REMIND_GROUP, SCHEDULE_GROUP];

/** A bare `/stretch` is `start` with no routine: the picker. */
export const BARE_COMMAND = 'start';

const byPath = new Map(COMMANDS.map((c) => [c.path, c]));

export const findCommand = (path: string): CommandSpec | undefined => byPath.get(path);
export const findGroup = (name: string): GroupSpec | undefined => GROUPS.find((g) => g.name === name);

/** The commands of a group, or the top-level ones (no group). */
export const commandsIn = (group?: string): CommandSpec[] =>
  COMMANDS.filter((c) => (group ? c.path.startsWith(`${group} `) : !c.path.includes(' ')));

/** The subcommand word of a path: `add` for `schedule add`. */
export const leafName = (spec: CommandSpec): string => spec.path.split(' ').at(-1)!;
