/**
 * Sends what fires queued: the channel post and each DM. Each platform gets as many lanes as
 * its notifier's pace keeps busy (the notifier spaces the requests at the platform's limit),
 * so a fan-out runs at that limit. Each row is claimed before sending and finished after, so
 * a crash mid-fan-out resumes where it stopped.
 */
import type { Catalogue } from '../core/catalogue.js';
import { teamSummaryCard } from '../core/habits/commands.js';
import type { HabitRepo } from '../core/habits/ports.js';
import type { Platform } from '../core/incoming.js';
import { DeliveryError, type Notifier } from '../core/notifier.js';
import { busyFromStatus, laterBusy } from '../core/busy.js';
import type { Clock, UserRecord, UserRepo } from '../core/ports.js';
import type { DeliveryRepo } from '../core/team/ports.js';
import { promptCard } from '../core/team/prompt-views.js';
import type { Logger } from '../logger.js';
import type { OutboxRow, OutboxStore } from './ports.js';
import { abandonedClaim, CLAIM_LEASE_MS, renewEveryMs } from './claimant.js';
import { createBusyLookahead } from './busy-lookahead.js';
import { busyDecision, dmBlockedReason } from './send-policy.js';

/** Lanes for a notifier that does not say how many it keeps busy. */
export const OUTBOX_CONCURRENCY = 4;
export const MAX_ATTEMPTS = 5;
const backoffMs = (attempt: number) => Math.min(30 * 60_000, 15_000 * 2 ** (attempt - 1));

export interface OutboxDeps {
  outbox: OutboxStore;
  delivery: DeliveryRepo;
  users: UserRepo;
  habits: HabitRepo;
  catalogue: Catalogue;
  notifiers: ReadonlyMap<Platform, Notifier>;
  clock: Clock;
  logger: Logger;
  defaultTimezone: string;
  claimant: string;
  /** Lanes per platform, overriding what each notifier asks for (tests). */
  concurrency?: number;
  /** How long a claim lives without renewal (OUTBOX_LEASE_MS); default CLAIM_LEASE_MS. */
  leaseMs?: number;
}

export interface DrainResult {
  sent: number;
  failed: number;
  skipped: number;
  retried: number;
  /** DMs held back for someone busy, to be sent when they are free. */
  waiting: number;
}

export function createOutboxWorker(deps: OutboxDeps) {
  const { outbox, clock, logger } = deps;
  let running: Promise<DrainResult> | undefined;

  const lookahead = createBusyLookahead({ outbox, clock, logger });

  /**
   * Whether the person is busy: their stored chat status (kept current by the platform's
   * events), and what the platform says when asked (asked a batch at a time). A busy person's
   * DM then waits in the outbox (checked again when due) or is skipped for the day.
   */
  async function busyOutcome(row: OutboxRow, user: UserRecord | undefined, notifier: Notifier, now: number) {
    const fromStatus = user?.status ? busyFromStatus(user.status, now) : undefined;
    const asked = notifier.busyOf ? await lookahead.busy(row, notifier.busyOf.bind(notifier)) : undefined;
    const busy = laterBusy(fromStatus, asked);
    return busy && busyDecision(busy, user, now, deps.defaultTimezone);
  }

  async function deliver(row: OutboxRow): Promise<keyof DrainResult> {
    const outcome = async (result: keyof DrainResult, write: () => Promise<boolean>): Promise<keyof DrainResult> => {
      // A claim lost meanwhile (another process took the row back) is that process's to finish.
      if (!(await write())) logger.warn({ outbox: row.id }, 'outbox row was taken over by another process');
      return result;
    };
    const finish = (status: 'sent' | 'failed' | 'skipped', detail?: string) =>
      outcome(status, () => outbox.finish(row.id, deps.claimant, status, detail, clock.now()));

    const now = clock.now();
    const fire = await deps.delivery.getFire(row.fireId);
    const routine = fire && deps.catalogue.routines.find((r) => r.id === fire.routineId);
    if (!fire || (!routine && !fire.summary)) return finish('failed', `routine ${fire?.routineId ?? '?'} no longer exists`);
    const notifier = deps.notifiers.get(row.platform)!;
    if (row.kind === 'dm') {
      if (row.reason === 'optin' && !(await deps.delivery.isOptedIn(fire, row.targetId))) return finish('skipped', 'opted out');
      const user = await deps.users.get({ platform: row.platform, workspaceId: row.workspaceId, userId: row.targetId });
      const blocked = dmBlockedReason(user, now, deps.defaultTimezone, await outbox.isNotToday(fire, row.targetId, now));
      if (blocked) return finish('skipped', blocked);
      const busy = await busyOutcome(row, user, notifier, now);
      if (busy && 'skip' in busy) return finish('skipped', busy.skip);
      if (busy) return outcome('waiting', () => outbox.postpone(row.id, deps.claimant, busy.wait, busy.detail, clock.now()));
    }
    // A summary is drawn when sent, so a late (caught-up) post still shows the week it names.
    const card = fire.summary
      ? await teamSummaryCard(deps, { platform: fire.platform, teamId: fire.summary.teamId }, fire.workspaceId, now, fire.summary.timezone)
      : promptCard(fire, routine!, deps.catalogue, row.kind === 'channel' ? 'channel' : 'dm');
    const delivery = { key: `ob${row.id}`, maybeSent: row.maybeSent };
    try {
      if (row.kind === 'channel') await notifier.postToChannel(row.workspaceId, row.targetId, card, delivery);
      else await notifier.sendDm(row.workspaceId, row.targetId, card, delivery);
      return await finish('sent');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof DeliveryError && err.permanent;
      if (permanent || row.attempts >= MAX_ATTEMPTS) {
        logger.warn({ outbox: row.id, kind: row.kind, target: row.targetId, reason: message }, 'delivery failed; not retrying');
        return await finish('failed', message);
      }
      logger.warn({ outbox: row.id, attempt: row.attempts, reason: message }, 'delivery failed; will retry');
      return await outcome('retried', () => outbox.retryLater(row.id, deps.claimant, clock.now() + backoffMs(row.attempts), message, clock.now()));
    }
  }

  async function drainOnce(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, failed: 0, skipped: 0, retried: 0, waiting: 0 };
    const platforms = [...deps.notifiers.keys()];
    if (!platforms.length) return result;
    const leaseMs = deps.leaseMs ?? CLAIM_LEASE_MS;
    lookahead.forgetStale();
    await outbox.reclaim(abandonedClaim(deps.claimant, clock.now(), undefined, leaseMs));
    // While rows are in flight their claims are renewed, so other replicas leave them alone
    // however long a send takes; a process that dies stops renewing and its lease runs out.
    const inFlight = new Set<number>();
    const renewal = setInterval(() => {
      if (!inFlight.size) return;
      outbox.renewClaims([...inFlight], deps.claimant, clock.now()).catch((err: unknown) => logger.warn({ err }, 'could not renew outbox claims'));
    }, renewEveryMs(leaseMs));
    renewal.unref();
    // Each lane claims one row at a time, just before sending it: after a crash only the rows
    // really in flight are "maybe sent", not every row of a batch nobody had started yet
    // (a channel post among those could never be re-posted without channels:history).
    const lane = async (platform: Platform) => {
      for (;;) {
        const [row] = await outbox.claimDue(clock.now(), deps.claimant, [platform], 1);
        if (!row) return;
        inFlight.add(row.id);
        try {
          result[await deliver(row)]++;
        } catch (err) {
          // Storage trouble: leave the row claimed and stop renewing it; the lease hands it back later.
          logger.error({ err, outbox: row.id }, 'outbox row could not be processed');
        } finally {
          inFlight.delete(row.id);
        }
      }
    };
    try {
      const lanes = platforms.flatMap((p) => Array.from({ length: deps.concurrency ?? deps.notifiers.get(p)!.lanes ?? OUTBOX_CONCURRENCY }, () => p));
      await Promise.all(lanes.map(lane));
    } finally {
      clearInterval(renewal);
    }
    return result;
  }

  return {
    /** Sends everything due now. Concurrent calls share one run. */
    drain(): Promise<DrainResult> {
      running ??= drainOnce().finally(() => (running = undefined));
      return running;
    },
  };
}
