/** `/stretch start|dm|list`: guided routines. */
import { channel, ephemeral, type Reply } from './card.js';
import { findRoutine } from './catalogue.js';
import { command, routineOption, type CommandSpec } from './commands/spec.js';
import type { CoreDeps } from './deps.js';
import type { IncomingCommand } from './incoming.js';
import type { Surface } from './session.js';
import { startSession } from './start-session.js';
import { listCard, pickerCard, unknownRoutineCard } from './views.js';

/** A named routine starts at once; without one, the picker. */
async function routineOrPicker(deps: CoreDeps, cmd: IncomingCommand, surface: Surface): Promise<Reply[]> {
  const wanted = cmd.command.options.routine?.trim();
  if (!wanted) {
    // In a DM conversation the picker is a normal message there; elsewhere only the invoker sees it.
    if (cmd.isDm) return [channel(pickerCard(deps.catalogue, false))];
    return [ephemeral(pickerCard(deps.catalogue, surface === 'dm'))];
  }
  const routine = findRoutine(deps.catalogue, wanted);
  return routine ? startSession(deps, cmd, routine, surface) : [ephemeral(unknownRoutineCard(deps.catalogue, wanted))];
}

export const ROUTINE_COMMANDS: CommandSpec[] = [
  command({
    path: 'start',
    description: 'Start a guided stretch routine here, one step at a time',
    options: [routineOption('Which routine (leave empty to pick one)')],
    run: (cmd, deps) => routineOrPicker(deps, cmd, cmd.isDm ? 'dm' : 'channel'),
  }),
  command({
    path: 'dm',
    description: 'Get a guided routine in your direct messages',
    options: [routineOption('Which routine (leave empty to pick one)')],
    run: (cmd, deps) => routineOrPicker(deps, cmd, 'dm'),
  }),
  command({
    path: 'list',
    description: 'Show the routines and their exercises',
    run: async (_cmd, deps) => [ephemeral(listCard(deps.catalogue))],
  }),
];
