/** Schedules written straight through the repository, many at once (sweep tests and the bench). */
import type { Database } from 'better-sqlite3';
import { nextFiresOf } from '../../src/core/schedule/when.js';
import type { Schedule } from '../../src/core/team/ports.js';
import { createScheduleRepo } from '../../src/storage/schedules-repo.js';

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

/** One transaction: ten thousand separate commits would take longer than the bench itself. */
export async function insertSchedules(db: Database, list: Schedule[]): Promise<void> {
  const repo = createScheduleRepo(db);
  db.exec('BEGIN');
  try {
    for (const s of list) await repo.insert(s);
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/** `n` schedules firing only on 29 February (spread over its minutes): from 2026 on, none is due before 2028. */
export const leapDayOnly = (n: number, savedAt: number): Schedule[] =>
  Array.from({ length: n }, (_, i) => scheduleRow(`leap${i}`, [`${i % 60} ${Math.floor(i / 60) % 24} 29 2 *`], savedAt));

/** `n` schedules on the same cron line, ids `<prefix>0`… */
export const sameCron = (n: number, prefix: string, cron: string, savedAt: number): Schedule[] =>
  Array.from({ length: n }, (_, i) => scheduleRow(`${prefix}${i}`, [cron], savedAt));
