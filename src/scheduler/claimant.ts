/**
 * Who is sending an outbox row. A row left in 'sending' by a process that died is taken
 * back at once when that process ran on this host (its pid is gone), else after a lease.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/**
 * Longer than any send can take: @slack/web-api retries a request for about 30 minutes.
 * A shorter lease could hand a row that is still being sent to another process.
 */
export const CLAIM_LEASE_MS = 35 * 60_000;

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

export function abandonedClaim(self: string, now: number, alive: (pid: number) => boolean = pidAlive) {
  const [myHost] = self.split(':');
  return (claimedBy: string, claimedAt: number): boolean => {
    const [host, pid] = claimedBy.split(':');
    // Our own rows are only ever stuck after a storage error mid-send: the lease frees them.
    if (claimedBy === self) return now - claimedAt > CLAIM_LEASE_MS;
    if (host === myHost && pid && /^\d+$/.test(pid) && !alive(Number(pid))) return true;
    return now - claimedAt > CLAIM_LEASE_MS;
  };
}
