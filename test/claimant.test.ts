import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { abandonedClaim, CLAIM_LEASE_MS, newClaimant } from '../src/scheduler/claimant.js';

describe('outbox claimants', () => {
  const now = 10 * CLAIM_LEASE_MS;
  const self = newClaimant(100);
  const alive = (pid: number) => pid === 100 || pid === 200;
  const abandoned = abandonedClaim(self, now, alive);

  it('names host and pid', () => {
    expect(self).toMatch(new RegExp(`^${hostname()}:100:[0-9a-f]{6}$`));
  });
  it('takes back a dead local process\'s rows at once', () => {
    expect(abandoned(`${hostname()}:300:abc123`, now - 1000)).toBe(true);
  });
  it('leaves a live local process and a remote one alone until the lease runs out', () => {
    expect(abandoned(`${hostname()}:200:abc123`, now - 1000)).toBe(false);
    expect(abandoned('elsewhere:300:abc123', now - 1000)).toBe(false);
    expect(abandoned('elsewhere:300:abc123', now - CLAIM_LEASE_MS - 1)).toBe(true);
  });
  it('frees its own rows only after the lease (stuck after a storage error)', () => {
    expect(abandoned(self, now - 1000)).toBe(false);
    expect(abandoned(self, now - CLAIM_LEASE_MS - 1)).toBe(true);
  });
});

describe('outbox claim lease', () => {
  it('is configurable, and renewal runs three times per lease', async () => {
    const { renewEveryMs } = await import('../src/scheduler/claimant.js');
    const abandoned = abandonedClaim(newClaimant(100), 100_000, () => true, 3_000);
    expect(abandoned('elsewhere:300:abc123', 100_000 - 2_999)).toBe(false);
    expect(abandoned('elsewhere:300:abc123', 100_000 - 3_001)).toBe(true);
    expect(renewEveryMs(60_000)).toBe(20_000);
    expect(renewEveryMs(CLAIM_LEASE_MS)).toBeLessThan(CLAIM_LEASE_MS / 2);
  });
});
