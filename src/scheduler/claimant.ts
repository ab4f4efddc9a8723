/**
 * Who is sending an outbox row. A row left in 'sending' by a process that died is taken
 * back at once when that process ran on this host (its pid is gone), else after a lease.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

export const CLAIM_LEASE_MS = 5 * 60_000;

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
    if (claimedBy === self) return false;
    const [host, pid] = claimedBy.split(':');
    if (host === myHost && pid && /^\d+$/.test(pid) && !alive(Number(pid))) return true;
    return now - claimedAt > CLAIM_LEASE_MS;
  };
}
