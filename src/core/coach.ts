/**
 * The one command handler every adapter shares: `/stretch …` commands and button clicks
 * in, Reply values out. Knows nothing about any platform.
 */
import { randomBytes } from 'node:crypto';
import { decodeAction, type ActionRef } from './action-id.js';
import { channel, dm, ephemeral, inPlace, notice, update, type Reply } from './card.js';
import { findRoutine, formatDuration, type Catalogue, type Routine } from './catalogue.js';
import type { IncomingAction, IncomingCommand, UserKey } from './incoming.js';
import type { Clock, SessionRepo, UserRepo } from './ports.js';
import { isFinished, newSession, summarise, transition, type Surface } from './session.js';
import { helpCard, listCard, pickerCard, sessionCard, unknownRoutineCard } from './views.js';

export type CommandHandler = (cmd: IncomingCommand) => Promise<Reply[]> | Reply[];
export type PromptActionHandler = (act: IncomingAction, ref: Extract<ActionRef, { kind: 'prompt' }>) => Promise<Reply[]> | Reply[];

export interface CoachDeps {
  catalogue: Catalogue;
  users: UserRepo;
  sessions: SessionRepo;
  clock: Clock;
  newId?: () => string;
}

export interface Coach {
  handleCommand(cmd: IncomingCommand): Promise<Reply[]>;
  handleAction(act: IncomingAction): Promise<Reply[]>;
  /** Starts a routine for a user; shared with scheduled prompts ("Join", "Start in DM"). */
  startSession(ctx: StartContext, routine: Routine, surface: Surface): Promise<Reply[]>;
  /** Lets later features (schedules, opt-ins) plug their commands and prompt buttons in. */
  register(name: string, handler: CommandHandler): void;
  onPromptAction(handler: PromptActionHandler): void;
}

export interface StartContext extends UserKey {
  channelId: string;
  isDm: boolean;
}

/** 10 lowercase hex characters (40 random bits): fits action ids and is easy to type. */
export const randomId = (): string => randomBytes(5).toString('hex');

export function createCoach(deps: CoachDeps): Coach {
  const { catalogue, users, sessions, clock } = deps;
  const newId = deps.newId ?? randomId;
  const handlers = new Map<string, CommandHandler>();
  let promptHandler: PromptActionHandler | undefined;

  const unknownRoutine = (name: string): Reply[] => [ephemeral(unknownRoutineCard(catalogue, name))];

  async function startSession(ctx: StartContext, routine: Routine, surface: Surface): Promise<Reply[]> {
    const now = clock.now();
    await users.ensure(ctx, now);
    await sessions.abandonOpen(ctx, now);
    const session = newSession({
      id: newId(),
      platform: ctx.platform,
      workspaceId: ctx.workspaceId,
      userId: ctx.userId,
      // A DM session's channel is filled in by the adapter's DM; the origin channel is kept for context.
      channelId: ctx.channelId,
      surface,
      routineId: routine.id,
      exerciseIds: routine.exerciseIds,
      now,
    });
    await sessions.insert(session);
    const card = sessionCard(session, catalogue);
    if (surface === 'dm' && !ctx.isDm) {
      return [dm(card), ephemeral(notice('Check your DMs', `I sent you the ${routine.name} routine in a direct message.`, 'success'))];
    }
    return [ctx.isDm ? channel(card) : ephemeral(card)];
  }

  async function routineOrPicker(cmd: IncomingCommand, surface: Surface): Promise<Reply[]> {
    const wanted = cmd.command.options.routine?.trim();
    if (!wanted) {
      // In a DM conversation the picker is a normal message there; elsewhere only the invoker sees it.
      if (cmd.isDm) return [channel(pickerCard(catalogue, false))];
      return [ephemeral(pickerCard(catalogue, surface === 'dm'))];
    }
    const routine = findRoutine(catalogue, wanted);
    return routine ? startSession(cmd, routine, surface) : unknownRoutine(wanted);
  }

  async function stats(key: UserKey): Promise<Reply[]> {
    const now = clock.now();
    const [all, week] = await Promise.all([sessions.totals(key, 0), sessions.totals(key, now - 7 * 86_400_000)]);
    if (all.sessions === 0) {
      return [ephemeral(notice('Your stretch stats', 'No finished sessions yet. Start one with /stretch.'))];
    }
    return [
      ephemeral({
        title: 'Your stretch stats',
        sections: [`${all.completed} routine${all.completed === 1 ? '' : 's'} completed, ${all.exercisesDone} exercises done.`],
        fields: [
          { label: 'Last 7 days', value: `${week.sessions} session${week.sessions === 1 ? '' : 's'}, ${formatDuration(week.activeSeconds)}` },
          { label: 'All time', value: `${all.sessions} session${all.sessions === 1 ? '' : 's'}, ${formatDuration(all.activeSeconds)}` },
        ],
        tone: 'success',
      }),
    ];
  }

  async function handleSessionAction(act: IncomingAction, ref: Extract<ActionRef, { kind: 'session' }>): Promise<Reply[]> {
    const s = await sessions.get(ref.sessionId);
    if (!s) return [ephemeral(notice('Session not found', "I can't find that session any more. Start a new one with /stretch.", 'warning'))];
    if (s.platform !== act.platform || s.workspaceId !== act.workspaceId || s.userId !== act.userId) {
      return [ephemeral(notice('Not your session', 'These buttons belong to someone else\'s routine. Start your own with /stretch.', 'warning'))];
    }
    if (isFinished(s)) {
      return [ephemeral(notice('Session over', 'That session has already ended. Start a new one with /stretch.', 'info'))];
    }
    if (!s.exerciseIds.every((id) => catalogue.exercises.has(id))) {
      return [ephemeral(notice('Routine changed', "This routine's exercises changed since you started, so it can't continue. Start it again with /stretch.", 'warning'))];
    }
    if (s.step !== ref.step) {
      return [ephemeral(notice('Old button', `That button is from an earlier step; your session is now on step ${s.step + 1} of ${s.exerciseIds.length}. Use the latest message.`, 'info'))];
    }
    const now = clock.now();
    const result = transition(s, ref.verb, now);
    if (!result.ok) return [ephemeral(notice('Not right now', result.reason, 'info'))];
    const next = result.session;
    const card = sessionCard(next, catalogue);
    if (!(await sessions.save(next, s.version, isFinished(next) ? summarise(next) : undefined))) {
      return [ephemeral(notice('Already handled', 'That button was just pressed. Use the updated message.', 'info'))];
    }
    return [update(card)];
  }

  const coach: Coach = {
    startSession,
    register: (name, handler) => void handlers.set(name, handler),
    onPromptAction: (handler) => void (promptHandler = handler),

    async handleCommand(cmd) {
      const { name, unknown } = cmd.command;
      const custom = handlers.get(name);
      if (custom) return custom(cmd);
      switch (name) {
        case '':
        case 'start':
          return routineOrPicker(cmd, cmd.isDm ? 'dm' : 'channel');
        case 'dm':
          return routineOrPicker(cmd, 'dm');
        case 'list':
          return [ephemeral(listCard(catalogue))];
        case 'stats':
          return stats(cmd);
        default:
          return [ephemeral(helpCard(catalogue, unknown))];
      }
    },

    async handleAction(act) {
      const ref = decodeAction(act.actionId);
      if (!ref) return [ephemeral(notice('Unknown button', "I don't recognise that button, so nothing changed. Start fresh with /stretch.", 'warning'))];
      switch (ref.kind) {
        case 'session':
          return handleSessionAction(act, ref);
        case 'pick': {
          const routine = findRoutine(catalogue, ref.routineId);
          if (!routine) return unknownRoutine(ref.routineId);
          // The picker message itself becomes the first step (or the DM confirmation).
          return inPlace(await startSession(act, routine, ref.inDm || act.isDm ? 'dm' : 'channel'));
        }
        case 'prompt':
          if (!promptHandler) return [ephemeral(notice('Not available', 'Break prompts are not set up on this bot.', 'info'))];
          return promptHandler(act, ref);
      }
    },
  };
  return coach;
}
