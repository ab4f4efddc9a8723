/**
 * Asks a platform who is busy a batch at a time. When a DM needs the answer for one person,
 * the platform is asked about the next people with a DM due in the same workspace, and the answers
 * are kept for a minute: a fan-out to 1,000 people costs a handful of requests on top of its
 * 1,000 DMs instead of one more per DM (Slack's dnd.teamInfo takes 50 people a call).
 */
import type { Busy } from '../core/busy.js';
import type { Notifier } from '../core/notifier.js';
import type { Clock } from '../core/ports.js';
import type { Logger } from '../logger.js';
import type { OutboxRow, OutboxStore } from './ports.js';

/** How long an answer is trusted; a DM due again later (after waiting) is asked about afresh. */
export const BUSY_ANSWER_TTL_MS = 60_000;
/**
 * People asked about in one go: the DMs due now in the workspace, up to this many. Enough to
 * keep the look-ups a small share of the requests, few enough that they spread over a big
 * fan-out instead of bursting at its start (Slack allows dnd.teamInfo about 20 times a minute).
 */
export const BUSY_BATCH = 200;

/** What the platform said about one person; no `busy` also when it could not say (the DM goes out). */
interface Answer {
  at: number;
  busy?: Busy;
}

export interface BusyLookaheadDeps {
  outbox: Pick<OutboxStore, 'dueDmTargets'>;
  clock: Clock;
  logger: Logger;
  /** People per question (tests); default BUSY_BATCH. */
  batch?: number;
}

export function createBusyLookahead(deps: BusyLookaheadDeps) {
  const answers = new Map<string, Answer>();
  /** One question per workspace at a time: lanes that need an answer wait for the one asked. */
  const asking = new Map<string, Promise<void>>();
  const scopeOf = (row: Pick<OutboxRow, 'platform' | 'workspaceId'>) => `${row.platform}\u0000${row.workspaceId}`;
  const keyOf = (scope: string, userId: string) => `${scope}\u0000${userId}`;

  // An answer is stale after the TTL, or once the busy spell it reports is over.
  const fresh = (a: Answer | undefined, now: number): a is Answer =>
    a !== undefined && now - a.at < BUSY_ANSWER_TTL_MS && (a.busy?.until === undefined || a.busy.until > now);

  async function ask(row: OutboxRow, busyOf: NonNullable<Notifier['busyOf']>, now: number): Promise<void> {
    const scope = scopeOf(row);
    const due = await deps.outbox.dueDmTargets(row.platform, row.workspaceId, now, deps.batch ?? BUSY_BATCH);
    const ids = [...new Set([row.targetId, ...due])].filter((id) => !fresh(answers.get(keyOf(scope, id)), now));
    let said: Map<string, Busy | undefined>;
    try {
      said = await busyOf(row.workspaceId, ids, now);
    } catch (err) {
      // Said once per batch, and not asked again for a minute: a workspace whose app lacks the
      // scope must not cost a failed request per DM.
      deps.logger.warn({ err, platform: row.platform, people: ids.length }, 'could not tell whether people are busy; sending their DMs');
      said = new Map();
    }
    for (const id of ids) answers.set(keyOf(scope, id), { at: now, busy: said.get(id) });
  }

  return {
    /** Whether the row's person is busy by what the platform says; undefined when free or unknown. */
    async busy(row: OutboxRow, busyOf: NonNullable<Notifier['busyOf']>): Promise<Busy | undefined> {
      const scope = scopeOf(row);
      const key = keyOf(scope, row.targetId);
      for (;;) {
        const now = deps.clock.now();
        const hit = answers.get(key);
        if (fresh(hit, now)) return hit.busy;
        const pending = asking.get(scope);
        if (pending) {
          await pending;
          // The batch just asked may not have held this person (claimed after it was read).
          if (fresh(answers.get(key), deps.clock.now())) continue;
        }
        const question: Promise<void> = ask(row, busyOf, now).finally(() => {
          if (asking.get(scope) === question) asking.delete(scope);
        });
        asking.set(scope, question);
        await question;
        return answers.get(key)?.busy;
      }
    },
    /** Drops answers past their time, so the map holds only what a fan-out in progress needs. */
    forgetStale(): void {
      const now = deps.clock.now();
      for (const [key, a] of answers) if (!fresh(a, now)) answers.delete(key);
    },
  };
}

export type BusyLookahead = ReturnType<typeof createBusyLookahead>;
