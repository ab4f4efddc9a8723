/** `/stretch start|dm|list|stats`: guided routines and their history. */
import { channel, ephemeral, notice, type Reply } from './card.js';
import { findRoutine, formatDuration } from './catalogue.js';
import { command, routineOption, type CommandSpec } from './commands/spec.js';
import type { CoreDeps } from './deps.js';
import type { IncomingCommand } from './incoming.js';
import type { Surface } from './session.js';
import { startSession } from './start-session.js';
import { listCard, pickerCard, unknownRoutineCard } from './views.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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
  command({
    path: 'stats',
    description: 'Your stretch history',
    async run(cmd, { sessions, clock }) {
      const now = clock.now();
      const [all, week] = await Promise.all([sessions.totals(cmd, 0), sessions.totals(cmd, now - 7 * 86_400_000)]);
      if (all.sessions === 0) return [ephemeral(notice('Your stretch stats', 'No finished sessions yet. Start one with /stretch.'))];
      return [
        ephemeral({
          title: 'Your stretch stats',
          sections: [`${plural(all.completed, 'routine')} completed, ${all.exercisesDone} exercises done.`],
          fields: [
            { label: 'Last 7 days', value: `${plural(week.sessions, 'session')}, ${formatDuration(week.activeSeconds)}` },
            { label: 'All time', value: `${plural(all.sessions, 'session')}, ${formatDuration(all.activeSeconds)}` },
          ],
          tone: 'success',
        }),
      ];
    },
  }),
];
