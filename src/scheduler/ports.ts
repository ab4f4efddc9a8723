/**
 * What the scheduler needs from storage: recording fires and working the outbox. The
 * outbox is the crash-safety mechanism: a fire and all its messages are written in one
 * transaction before anything is sent, and each row is claimed atomically, so two
 * processes never send the same row.
 */
import type { Platform } from '../core/incoming.js';
import type { ChannelKey, Fire, Schedule } from '../core/team/ports.js';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
export type OutboxReason = 'prompt' | 'optin' | 'reminder' | 'snooze';

export interface OutboxRow {
  id: number;
  fireId: string;
  platform: Platform;
  workspaceId: string;
  kind: 'channel' | 'dm';
  targetId: string;
  reason: OutboxReason;
  status: OutboxStatus;
  attempts: number;
  /** True when an earlier claim may have sent it before its process died. */
  maybeSent: boolean;
}

export interface OutboxStore {
  /**
   * Records a scheduled fire with its messages. Returns false (and writes nothing) when
   * this schedule's slot was already recorded, by this process or another.
   */
  recordFire(schedule: Schedule, fire: Fire, status: 'queued' | 'missed', dmUserIds: string[], now: number): Promise<boolean>;
  hasFire(scheduleId: string, fireAt: number): Promise<boolean>;
  claimDue(now: number, claimant: string, platforms: Platform[], limit: number): Promise<OutboxRow[]>;
  /**
   * Keeps this claimant's claims on rows it is still sending alive (claimed_at = now), so
   * the lease only runs out for a process that stopped renewing. Returns the rows renewed.
   */
  renewClaims(ids: number[], claimant: string, now: number): Promise<number>;
  /** Rows stuck in 'sending' whose claimant is gone, back to pending (flagged maybeSent). */
  reclaim(isAbandoned: (claimedBy: string, claimedAt: number) => boolean): Promise<number>;
  /**
   * Records the outcome of a claimed row. Returns false when the claim was lost meanwhile
   * (another process reclaimed the row), in which case nothing is written.
   */
  finish(id: number, claimant: string, status: 'sent' | 'failed' | 'skipped', detail: string | undefined, now: number): Promise<boolean>;
  retryLater(id: number, claimant: string, notBefore: number, detail: string, now: number): Promise<boolean>;
  /** Hands a claimed row back to wait until `notBefore` without counting an attempt (its person is busy). */
  postpone(id: number, claimant: string, notBefore: number, detail: string, now: number): Promise<boolean>;
  isNotToday(channel: ChannelKey, userId: string, now: number): Promise<boolean>;
  /** People with a DM due by `now` in the workspace (waiting or being sent), soonest first, up to `limit`. */
  dueDmTargets(platform: Platform, workspaceId: string, now: number, limit: number): Promise<string[]>;
}
