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
