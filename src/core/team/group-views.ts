/** The one channel message of a live group session: the current step for everyone, or the summary. */
import { encodeAction } from '../action-id.js';
import type { Button, ButtonStyle, Card, People } from '../card.js';
import { formatDuration, type Catalogue, type Exercise } from '../catalogue.js';
import { hostVerbs, isLiveGroup, present, togetherLine, type GroupSession, type GroupVerb } from '../group-session.js';
import type { Session } from '../session.js';
import { stepCard, timerButton, VERB_BUTTON, withTimerButton } from '../views.js';

/** The host's buttons look like a solo session's. */
const GROUP_BUTTON: Record<GroupVerb, { label: string; style: ButtonStyle }> = {
  ...VERB_BUTTON,
  join: { label: 'Join', style: 'success' },
  leave: { label: 'Leave', style: 'secondary' },
};

const button = (g: GroupSession, verb: GroupVerb): Button => ({ id: encodeAction({ kind: 'group', groupId: g.id, verb }), ...GROUP_BUTTON[verb] });

/** Join and Leave for anyone, then the host's row: the moves, with the hold timer where the step has one. */
function groupButtons(g: GroupSession, ex: Exercise | undefined): Button[] {
  if (!isLiveGroup(g)) return [];
  const timer = ex && timerButton(g, ex, true, button(g, 'timer').id);
  return [button(g, 'join'), button(g, 'leave'), ...withTimerButton(hostVerbs(g).map((verb) => button(g, verb)), timer, g.step)];
}

function people(g: GroupSession, label: string): People {
  const here = present(g);
  return {
    label: `${label} (${here.length})`,
    entries: here.map((p) => (p.userId === g.hostId ? { userId: p.userId, note: 'host' } : { userId: p.userId })),
  };
}

/** The group's step seen as one person's session, so the step card (and its picture) is drawn once. */
function asSession(g: GroupSession): Session {
  return {
    id: g.id,
    platform: g.platform,
    workspaceId: g.workspaceId,
    userId: g.hostId,
    channelId: g.channelId,
    surface: 'channel',
    routineId: g.routineId,
    exerciseIds: g.exerciseIds,
    step: g.step,
    status: 'active',
    results: [],
    startedAt: g.startedAt,
    updatedAt: g.lastPressAt,
    pausedMs: 0,
    easierSteps: [],
    leftOut: [],
    ...(g.timer ? { timer: g.timer } : {}),
    timersDone: g.timersDone,
    version: g.version,
  };
}

/** `handedTo`: the host just left and this person leads now. */
export function groupCard(g: GroupSession, catalogue: Catalogue, handedTo?: string): Card {
  const routineName = catalogue.routines.find((r) => r.id === g.routineId)?.name ?? g.routineId;
  if (!isLiveGroup(g)) return groupSummaryCard(g, routineName);
  const step = stepCard(asSession(g), catalogue);
  const intro = `${routineName}, together. Anyone can Join or Leave at any step; the host moves the group on.`;
  return {
    ...step,
    sections: [intro, ...(handedTo ? ['The host left, so the longest-standing participant is the host now.'] : []), ...step.sections],
    people: people(g, 'Taking part'),
    buttons: groupButtons(g, catalogue.exercises.get(g.exerciseIds[g.step]!)),
  };
}

function groupSummaryCard(g: GroupSession, routineName: string): Card {
  const line = togetherLine(g, routineName);
  const why =
    g.status === 'closed' && present(g).length
      ? 'Nobody pressed a button for 30 minutes, so the session closed itself.'
      : g.status === 'stopped'
        ? 'The host ended the session.'
        : g.status === 'finished'
          ? 'Nice work, everyone. Each of you has this in /stretch stats.'
          : 'Everyone left.';
  const seconds = Math.round(((g.finishedAt ?? g.lastPressAt) - g.startedAt) / 1000);
  return {
    title: g.status === 'finished' ? `🎉 ${line}` : 'Group session ended',
    sections: g.status === 'finished' ? [why] : [line, why],
    fields: [{ label: 'Time', value: formatDuration(seconds) }],
    ...(present(g).length ? { people: people(g, g.status === 'finished' ? 'Finished together' : 'There at the end') } : {}),
    buttons: [],
    tone: g.status === 'finished' ? 'success' : 'info',
  };
}
