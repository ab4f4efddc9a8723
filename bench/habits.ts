/**
 * Habits in `npm run bench`: /stretch stats and /stretch team through the core, on a WAL file
 * holding a year of history for 10,000 people in one workspace (the worst case for a team view),
 * and on one holding 100 people, with the ratio. The history is written once, in one
 * transaction per database, straight into completed_sessions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { parseCommandText } from '../src/core/commands/text.js';
import { measure, report, RUNS } from './measure.js';
import { createTestCoach, FakeClock, type TestCoach } from '../test/support/coach.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 26, 12);
const TODAY = Math.floor(NOW / DAY);

/** A year of history: each person stretches on about seven days in ten, a few of them twice. */
function fillHistory(path: string, people: number): number {
  const db = new BetterSqlite3(path);
  // History rows point at sessions; the bench writes only history, as the report needs nothing else.
  db.pragma('foreign_keys = OFF');
  const insert = db.prepare(
    `INSERT INTO completed_sessions (session_id, platform, workspace_id, user_id, routine_id, outcome, done_count, skipped_count, total_count,
       active_seconds, finished_at, local_day, team_id, group_session) VALUES (?, 'slack', 'T', ?, ?, ?, ?, 0, 4, ?, ?, ?, 'T', ?)`,
  );
  // Indexes are built once after the load, which is far faster than keeping them up to date row by row.
  const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'completed_sessions' AND sql IS NOT NULL`).all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);
  let rows = 0;
  db.transaction(() => {
    for (let u = 0; u < people; u++) {
      for (let day = TODAY - 364; day <= TODAY; day++) {
        const roll = (u * 7919 + day * 104_729) % 100;
        if (roll >= 70) continue;
        for (let k = 0; k < (roll < 5 ? 2 : 1); k++) {
          const done = roll % 9 === 0 ? 3 : 4;
          insert.run(`s${u}-${day}-${k}`, `U${u}`, ['desk', 'neck', 'full'][roll % 3], done === 4 ? 'completed' : 'stopped', done, 240 + roll, day * DAY + 36_000_000, day, roll === 1 ? 1 : 0);
          rows++;
        }
      }
    }
  })();
  for (const i of indexes) db.exec(i.sql);
  db.exec('ANALYZE');
  db.close();
  return rows;
}

export async function benchHabits(runs = RUNS): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stretch-bench-habits-'));
  const coaches: TestCoach[] = [];
  try {
    const results: Record<string, { stats: number; team: number; rows: number }> = {};
    for (const people of [100, 10_000]) {
      const path = join(dir, `habits-${people}.db`);
      const t = await createTestCoach({ dbPath: path, clock: new FakeClock(NOW) });
      coaches.push(t);
      const t0 = performance.now();
      const rows = fillHistory(path, people);
      report(`  history for ${people.toLocaleString('en')} people, written once`, `${rows.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      let u = 0;
      const ask = (line: string) => () =>
        t.coach.handleCommand({ platform: 'slack', workspaceId: 'T', teamId: 'T', channelId: 'C', isDm: false, userId: `U${u++ % people}`, command: parseCommandText(line) });
      results[people] = { stats: await measure(runs, ask('stats')), team: await measure(runs, ask('team')), rows };
    }
    const small = results[100]!;
    const big = results[10_000]!;
    report('/stretch stats, a year of history, 100 people (median)', `${small.stats.toFixed(2)} ms`);
    report('/stretch stats, a year of history, 10,000 people (median)', `${big.stats.toFixed(2)} ms`);
    report('  10,000 / 100', `${(big.stats / small.stats).toFixed(2)}×`);
    report('/stretch team, 100 people in the workspace (median)', `${small.team.toFixed(2)} ms`);
    report('/stretch team, 10,000 people in the workspace (median)', `${big.team.toFixed(2)} ms`);
    report('  10,000 / 100', `${(big.team / small.team).toFixed(2)}×`);
  } finally {
    for (const t of coaches) await t.app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
