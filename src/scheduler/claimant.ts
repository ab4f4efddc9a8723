/**
 * Who is sending an outbox row, and when a row left in 'sending' may be taken back. A
 * claimant renews its claims while it is sending them (every third of the lease), so a
 * claim older than the lease belongs to a process that is gone: killed, frozen or on a
 * machine that was lost. On the same host a dead pid is certain, so its rows are taken
 * back at once.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/**
 * A minute: a replica that dies has its rows taken back by the others within about a
 * minute and a poll. A send can take far longer (@slack/web-api retries for up to 30
 * minutes): renewal keeps such a claim alive as long as its process lives.
 */
export const CLAIM_LEASE_MS = 60_000;

/** How often a live claimant renews what it is sending: three renewals per lease, so one missed renewal does not lose a claim. */
export const renewEveryMs = (leaseMs: number): number => Math.max(50, Math.floor(leaseMs / 3));

export function newClaimant(pid = process.pid): string {
  return `${hostname()}:${pid}:${randomBytes(3).toString('hex')}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function abandonedClaim(self: string, now: number, alive: (pid: number) => boolean = pidAlive, leaseMs = CLAIM_LEASE_MS) {
  const [myHost] = self.split(':');
  return (claimedBy: string, claimedAt: number): boolean => {
    const [host, pid] = claimedBy.split(':');
    // Our own rows are only ever stuck after a storage error mid-send (no longer renewed): the lease frees them.
    if (claimedBy === self) return now - claimedAt > leaseMs;
    if (host === myHost && pid && /^\d+$/.test(pid) && !alive(Number(pid))) return true;
    return now - claimedAt > leaseMs;
  };
}
