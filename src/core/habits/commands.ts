/** `/stretch stats` and `/stretch team`: a person's habit and a workspace's week. */
import { ephemeral, notice, type Card, type Reply } from '../card.js';
import { formatDuration } from '../catalogue.js';
import { command, type CommandSpec } from '../commands/spec.js';
import type { CoreDeps } from '../deps.js';
import type { IncomingCommand } from '../incoming.js';
import { info } from '../replies.js';
import { userZone } from '../team/zone.js';
import { chartAltText, chartOf, chartText, PERSONAL_CHART_DAYS } from './chart.js';
import { localDayOf } from './days.js';
import type { TeamKey } from './ports.js';
import { streakLine, streaksOf, thisWeek, totalsOf, weekStrip, type DayTotals } from './streaks.js';
import { TEAM_DAYS, TEAM_STREAK_WINDOW, teamCard, teamWeek } from './team-summary.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const sum = (days: readonly DayTotals[], key: 'completed' | 'exercises') => days.reduce((n, d) => n + (d[key] ?? 0), 0);
const totalsLine = (t: { sessions: number; seconds: number }) => `${plural(t.sessions, 'session')}, ${formatDuration(t.seconds)}`;

async function statsReply(cmd: IncomingCommand, deps: CoreDeps): Promise<Reply[]> {
  const days = await deps.habits.days(cmd);
  if (!days.length) return [ephemeral(notice('Your stretch stats', 'No finished sessions yet. Start one with /stretch.'))];
  const today = localDayOf(deps.clock.now(), (await userZone(deps, cmd)).zone);
  const streaks = streaksOf(days, today);
  const favouriteId = await deps.habits.favouriteRoutine(cmd);
  const favourite = favouriteId && (deps.catalogue.routines.find((r) => r.id === favouriteId)?.name ?? favouriteId);
  const chart = chartOf('Your sessions, last 4 weeks', days, today, PERSONAL_CHART_DAYS, 'sessions');
  const card: Card = {
    title: 'Your stretch stats',
    sections: [
      streakLine(streaks),
      `This week: ${weekStrip(days, today)}`,
      `${plural(sum(days, 'completed'), 'routine')} completed, ${sum(days, 'exercises')} exercises done.`,
      chartText(chart),
    ],
    fields: [
      { label: 'This week', value: totalsLine(thisWeek(days, today)) },
      { label: 'All time', value: totalsLine(totalsOf(days)) },
      ...(favourite ? [{ label: 'Favourite routine', value: favourite }] : []),
    ],
    chart: { data: chart, alt: chartAltText(chart) },
    footer: 'A day counts with one finished routine or five finished exercises.',
    tone: 'success',
  };
  return [ephemeral(card)];
}

/** The summary card of a workspace's last seven days, as of `now` in `zone`. */
export async function teamSummaryCard(deps: Pick<CoreDeps, 'habits'>, team: TeamKey, workspaceId: string, now: number, zone: string): Promise<Card> {
  const today = localDayOf(now, zone);
  const [days, streakDays] = await Promise.all([deps.habits.teamDays(team, today - TEAM_DAYS + 1), deps.habits.teamStreakDays(team, today - TEAM_STREAK_WINDOW + 1)]);
  const week = teamWeek(days, streakDays, today);
  const named = await deps.habits.shoutoutsOn(team.platform, workspaceId, week.streaks.map((s) => s.userId));
  return teamCard(week, named, chartText(week.chart));
}

export const HABIT_COMMANDS: CommandSpec[] = [
  command({
    path: 'stats',
    description: 'Your streak, this week and a chart of the last four weeks',
    run: statsReply,
  }),
  command({
    path: 'team',
    description: "This workspace's last seven days of stretching (names only with shout-outs on)",
    async run(cmd, deps) {
      if (cmd.isDm || !cmd.teamId) return info('Use a channel', 'Run /stretch team in a channel: it sums up the people of that workspace.');
      const zone = (await userZone(deps, cmd)).zone;
      return [ephemeral(await teamSummaryCard(deps, { platform: cmd.platform, teamId: cmd.teamId }, cmd.workspaceId, deps.clock.now(), zone))];
    },
  }),
];
