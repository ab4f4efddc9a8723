/** Hold timers as columns: solo sessions and live groups store them alike (see TimerColumns). */
import type { Selectable } from 'kysely';
import type { Timed } from '../core/hold-timer.js';
import type { RunningTimer } from '../core/ports.js';
import type { Db } from './dialect.js';
import type { TimerColumns } from './schema.js';

export const timerColumns = (t: Timed) => ({
  timer_side: t.timer?.side ?? null,
  timer_ends_at: t.timer?.endsAt ?? null,
  timers_done: t.timersDone,
});

export function timedFrom(r: Selectable<TimerColumns>): Timed {
  const t: Timed = { timersDone: Number(r.timers_done) };
  if (r.timer_ends_at !== null && r.timer_side !== null) t.timer = { side: Number(r.timer_side), endsAt: Number(r.timer_ends_at) };
  return t;
}

/** Running timers of one table ending at or before `dueBy` (all of them without it), earliest first, by an indexed column. */
export async function runningTimersIn(store: Db, table: 'sessions' | 'group_sessions', dueBy?: number): Promise<RunningTimer[]> {
  let q = store.kysely.selectFrom(table).select(['id', 'timer_ends_at']).where('timer_ends_at', 'is not', null);
  if (dueBy !== undefined) q = q.where('timer_ends_at', '<=', dueBy);
  const found = await q.orderBy('timer_ends_at').execute();
  return found.map((r) => ({ id: r.id, endsAt: Number(r.timer_ends_at) }));
}
