/**
 * Asking who is busy a batch at a time: one question covers everyone with a DM due in the
 * workspace, lanes share it, answers last a minute (or until the busy spell they report ends),
 * and a platform that cannot answer is asked once per batch, not once per DM.
 */
import { describe, expect, it } from 'vitest';
import type { Busy } from '../src/core/busy.js';
import { BUSY_ANSWER_TTL_MS, createBusyLookahead } from '../src/scheduler/busy-lookahead.js';
import type { OutboxRow } from '../src/scheduler/ports.js';
import { FakeClock, silentLogger } from './support/coach.js';

const T = Date.UTC(2026, 10, 24, 9, 30);
const rowFor = (targetId: string, workspaceId = 'T1'): OutboxRow => ({
  id: 1, fireId: 'f', platform: 'slack', workspaceId, kind: 'dm', targetId, reason: 'optin', status: 'sending', attempts: 1, maybeSent: false,
});

function setUp(due: Record<string, string[]>, busy: Record<string, Busy> = {}) {
  const clock = new FakeClock(T);
  const questions: { workspaceId: string; ids: string[] }[] = [];
  let failing = false;
  const busyOf = async (workspaceId: string, ids: readonly string[]) => {
    questions.push({ workspaceId, ids: [...ids] });
    await new Promise((r) => setTimeout(r, 5));
    if (failing) throw new Error('missing_scope');
    return new Map(ids.map((id) => [id, busy[id]]));
  };
  const lookahead = createBusyLookahead({ outbox: { dueDmTargets: async (_p, w, _now, limit) => (due[w] ?? []).slice(0, limit) }, clock, logger: silentLogger(), batch: 3 });
  return { clock, questions, busyOf, lookahead, fail: () => (failing = true) };
}

describe('busy look-ahead', () => {
  const meeting: Busy = { reason: 'in a meeting', until: T + 10 * 60_000 };

  it("one question covers the workspace's due DMs (up to the batch), and later rows are answered from it", async () => {
    const { questions, busyOf, lookahead } = setUp({ T1: ['U1', 'U2', 'U3', 'U4'] }, { U2: meeting });
    expect(await lookahead.busy(rowFor('U1'), busyOf)).toBeUndefined();
    expect(await lookahead.busy(rowFor('U2'), busyOf)).toEqual(meeting);
    expect(await lookahead.busy(rowFor('U3'), busyOf)).toBeUndefined();
    expect(questions).toEqual([{ workspaceId: 'T1', ids: ['U1', 'U2', 'U3'] }]);
    // U4 was past the batch: the next question asks about whoever is not answered yet.
    expect(await lookahead.busy(rowFor('U4'), busyOf)).toBeUndefined();
    expect(questions[1]).toEqual({ workspaceId: 'T1', ids: ['U4'] });
  });

  it('lanes asking at once share one question; another workspace gets its own', async () => {
    const { questions, busyOf, lookahead } = setUp({ T1: ['U1', 'U2', 'U3'], T2: ['V1'] }, { U3: meeting });
    const answers = await Promise.all([lookahead.busy(rowFor('U1'), busyOf), lookahead.busy(rowFor('U2'), busyOf), lookahead.busy(rowFor('U3'), busyOf), lookahead.busy(rowFor('V1', 'T2'), busyOf)]);
    expect(answers).toEqual([undefined, undefined, meeting, undefined]);
    expect(questions.map((q) => q.workspaceId).sort()).toEqual(['T1', 'T2']);
  });

  it('asks again once an answer is a minute old, or once the busy spell it reported is over', async () => {
    const short: Busy = { reason: 'do not disturb', until: T + 20_000 };
    const { clock, questions, busyOf, lookahead } = setUp({ T1: ['U1', 'U2'] }, { U2: short });
    await lookahead.busy(rowFor('U1'), busyOf);
    clock.set(T + 30_000);
    // U2's DND ended at +20 s: the stored "busy" is stale although the answer is 30 s old.
    await lookahead.busy(rowFor('U2'), busyOf);
    expect(questions).toHaveLength(2);
    expect(await lookahead.busy(rowFor('U1'), busyOf)).toBeUndefined();
    expect(questions).toHaveLength(2);
    clock.set(T + BUSY_ANSWER_TTL_MS + 1);
    await lookahead.busy(rowFor('U1'), busyOf);
    expect(questions).toHaveLength(3);
  });

  it('a platform that cannot answer is asked once per batch, and its people count as free', async () => {
    const { questions, busyOf, lookahead, fail } = setUp({ T1: ['U1', 'U2', 'U3'] }, { U2: meeting });
    fail();
    expect(await lookahead.busy(rowFor('U1'), busyOf)).toBeUndefined();
    expect(await lookahead.busy(rowFor('U2'), busyOf)).toBeUndefined();
    expect(await lookahead.busy(rowFor('U3'), busyOf)).toBeUndefined();
    expect(questions).toHaveLength(1);
  });

  it('forgetStale keeps only answers still in force', async () => {
    const { clock, questions, busyOf, lookahead } = setUp({ T1: ['U1'] });
    await lookahead.busy(rowFor('U1'), busyOf);
    clock.set(T + BUSY_ANSWER_TTL_MS);
    lookahead.forgetStale();
    clock.set(T);
    // Forgotten: asked again even though the clock is back inside the minute.
    await lookahead.busy(rowFor('U1'), busyOf);
    expect(questions).toHaveLength(2);
  });
});
