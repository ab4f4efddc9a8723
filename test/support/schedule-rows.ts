/** Schedules written straight through the repository, many at once (sweep tests and the bench). */
import { nextFiresOf } from '../../src/core/schedule/when.js';
import type { Schedule } from '../../src/core/team/ports.js';
import type { Storage } from '../../src/storage/open.js';
import { toRow } from '../../src/storage/schedules-repo.js';

/** A UTC channel schedule saved at `now`, due first at its first slot from then, as the core saves one. */
export function scheduleRow(id: string, crons: string[], now: number, over: Partial<Schedule> = {}): Schedule {
  return {
    id,
    platform: 'slack',
    workspaceId: 'T1',
    kind: 'channel',
    channelId: `C-${id}`,
    userId: 'U1',
    whenText: crons.join(', '),
    crons,
    timezone: 'UTC',
    routineId: 'desk',
    paused: false,
    createdAt: now,
    updatedAt: now,
    nextFireAt: nextFiresOf(crons, over.timezone ?? 'UTC', now - 1, 1)[0],
    ...over,
  };
}

/** Many rows per statement, in one transaction: ten thousand commits would take longer than the bench itself. */
export async function insertSchedules(storage: Storage, list: Schedule[]): Promise<void> {
  await storage.db.transaction().execute(async (trx) => {
    // 14 columns × 500 rows stays under both databases' bound-parameter limits.
    for (let i = 0; i < list.length; i += 500) await trx.insertInto('schedules').values(list.slice(i, i + 500).map(toRow)).execute();
  });
}

/** `n` schedules firing only on 29 February (spread over its minutes): from 2026 on, none is due before 2028. */
export const leapDayOnly = (n: number, savedAt: number): Schedule[] =>
  Array.from({ length: n }, (_, i) => scheduleRow(`leap${i}`, [`${i % 60} ${Math.floor(i / 60) % 24} 29 2 *`], savedAt));

/** `n` schedules on the same cron line, ids `<prefix>0`… */
export const sameCron = (n: number, prefix: string, cron: string, savedAt: number): Schedule[] =>
  Array.from({ length: n }, (_, i) => scheduleRow(`${prefix}${i}`, [cron], savedAt));
