/**
 * A person's home view: their week, routines to start in a DM, their settings, reminders and
 * the channels whose prompts they get, the exercises they skip. Built from small pure pieces
 * (one card each); its buttons run the same commands as typing.
 */
import { encodeAction, type ActionRef } from './action-id.js';
import type { Button, Card, Reply } from './card.js';
import type { Catalogue } from './catalogue.js';
import { runCommand } from './commands/dispatch.js';
import type { CoreDeps } from './deps.js';
import type { IncomingAction, UserKey, UserProfile } from './incoming.js';
import type { HistoryTotals, UserRecord } from './ports.js';
import { formatInZone, formatMinuteOfDay } from './schedule/when.js';
import type { Schedule } from './team/ports.js';
import { localDayOf } from './habits/days.js';
import { streakLine, streaksOf, weekStrip } from './habits/streaks.js';
import { restoreButtons, skipsLine } from './skip-list.js';
import { scheduleLine } from './team/schedule-commands.js';
import { userZone } from './team/zone.js';

const WEEK_MS = 7 * 86_400_000;
const button = (ref: ActionRef, label: string, style: Button['style'] = 'secondary'): Button => ({ id: encodeAction(ref), label, style });

/** `streak`: the streak and this week's strip, as /stretch stats shows them (none before a first finish). */
export function weekCard(week: HistoryTotals, all: HistoryTotals, streak?: string): Card {
  const minutes = Math.round(week.activeSeconds / 60);
  return {
    title: 'Your stretching',
    sections: [
      ...(streak ? [streak] : []),
      week.sessions
        ? `Last 7 days: ${week.completed} of ${week.sessions} session${week.sessions === 1 ? '' : 's'} finished, ${week.exercisesDone} exercises, about ${minutes} min.`
        : 'No sessions in the last 7 days yet. Start one below.',
    ],
    footer: `All time: ${all.completed} routines completed.`,
    tone: 'info',
  };
}

export function routinesCard(catalogue: Catalogue): Card {
  return {
    title: 'Start a routine in your DMs',
    sections: [catalogue.routines.map((r) => `${r.name}: ${r.description}`).join('\n')],
    buttons: catalogue.routines.map((r) => button({ kind: 'pick', routineId: r.id, inDm: true }, r.name, 'primary')),
  };
}

/** Admins add channel break times from here too; the form asks for the channel. */
export function adminCard(): Card {
  return {
    title: 'Team break times',
    sections: ['Add break prompts to a channel without typing a schedule.'],
    buttons: [button({ kind: 'form', form: 'schedule' }, 'Add a break time', 'primary')],
  };
}

export function settingsCard(user: UserRecord | undefined, zone: string, now: number): Card {
  const paused = user?.dmPausedUntil && user.dmPausedUntil > now ? user.dmPausedUntil : undefined;
  const hours = user?.workStartMin !== undefined && user.workEndMin !== undefined ? `Mon–Fri ${formatMinuteOfDay(user.workStartMin)}–${formatMinuteOfDay(user.workEndMin)}` : 'any time';
  return {
    title: 'Your settings',
    sections: ['Break DMs wait while you are in a meeting or in Do Not Disturb.'],
    fields: [
      { label: 'Time zone', value: zone },
      { label: 'Working hours', value: hours },
      { label: 'Break DMs', value: paused ? `paused until ${formatInZone(paused, zone)}` : 'on' },
      { label: 'Shout-outs', value: user?.shoutouts ? 'on: team summaries may name you' : 'off: team summaries count you without naming you' },
    ],
    buttons: [
      button({ kind: 'form', form: 'settings' }, 'Change settings', 'primary'),
      paused ? button({ kind: 'home', verb: 'resume' }, 'Resume DMs') : button({ kind: 'home', verb: 'pause' }, 'Pause DMs for today'),
      button({ kind: 'home', verb: 'shoutouts', arg: user?.shoutouts ? 'off' : 'on' }, user?.shoutouts ? 'Turn shout-outs off' : 'Turn shout-outs on'),
    ],
  };
}

export function remindersCard(deps: Pick<CoreDeps, 'catalogue'>, reminders: Schedule[], now: number): Card {
  return {
    title: 'Your reminders',
    sections: [reminders.length ? reminders.map((s) => scheduleLine(deps as CoreDeps, s, now)).join('\n') : 'No reminders yet.'],
    buttons: [
      button({ kind: 'form', form: 'remind' }, 'Add a reminder', 'primary'),
      ...reminders.slice(0, 10).map((s) => button({ kind: 'home', verb: 'unremind', arg: s.id }, `Remove ${s.id}`, 'danger')),
    ],
  };
}

export function skipsCard(catalogue: Catalogue, skipped: string[]): Card {
  return {
    title: 'Exercises you skip',
    sections: [skipped.length ? skipsLine(catalogue, skipped) : 'None. "It hurts" → "Skip it from now on" adds one.'],
    buttons: restoreButtons(catalogue, skipped.slice(0, 10)),
  };
}

export function channelsCard(channels: string[]): Card {
  return {
    title: 'Channel prompts you get by DM',
    sections: [channels.length ? channels.map((c) => `#${c}`).join('\n') : 'None. Run /stretch optin in a channel with break prompts.'],
    buttons: channels.slice(0, 10).map((c) => button({ kind: 'home', verb: 'optout', arg: c }, `Stop #${c}`)),
  };
}

export interface HomeRequest extends UserKey {
  profile?: () => Promise<UserProfile>;
}

export async function homeView(deps: CoreDeps, who: HomeRequest): Promise<Card[]> {
  const now = deps.clock.now();
  const ctx = { ...who, channelId: '', isDm: true };
  const [week, all, user, zone, reminders, channels, profile, days, skipped] = await Promise.all([
    deps.sessions.totals(who, now - WEEK_MS),
    deps.sessions.totals(who, 0),
    deps.users.get(who),
    userZone(deps, { ...ctx, actionId: '' }),
    deps.schedules.listPersonal(who),
    deps.delivery.optedInChannels(who),
    who.profile?.().catch(() => undefined),
    deps.habits.days(who),
    deps.users.skippedExercises(who),
  ]);
  const today = localDayOf(now, zone.zone);
  const streak = days.length ? `${streakLine(streaksOf(days, today))}\nThis week: ${weekStrip(days, today)}` : undefined;
  const cards = [
    weekCard(week, all, streak),
    routinesCard(deps.catalogue),
    settingsCard(user, zone.zone, now),
    remindersCard(deps, reminders, now),
    channelsCard(channels),
    skipsCard(deps.catalogue, skipped),
  ];
  return profile?.isAdmin ? [...cards, adminCard()] : cards;
}

/** A home-view settings button: the command it stands for, as if typed where it applies. */
export function onHomeAction(deps: CoreDeps, act: IncomingAction, ref: Extract<ActionRef, { kind: 'home' }>): Promise<Reply[]> {
  const run = (name: string, options: Record<string, string>, channelId = act.channelId) => runCommand({ ...act, channelId, isDm: false, command: { name, options } }, deps);
  switch (ref.verb) {
    case 'pause':
      return run('pause', { for: 'today' });
    case 'resume':
      return run('resume', {});
    case 'optout':
      return run('optout', {}, ref.arg ?? '');
    case 'unremind':
      return run('remind remove', { id: ref.arg ?? '' });
    case 'shoutouts':
      return run('settings', { shoutouts: ref.arg ?? '' });
  }
}
