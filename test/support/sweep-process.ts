/**
 * A separate process that runs the scheduler's sweep on a shared database (a SQLite file in
 * DB, or PostgreSQL at DATABASE_URL) at a fixed instant, many times, and prints what it
 * recorded. Used to prove fires happen at most once across processes.
 */
import { createTestCoach, FakeClock } from './coach.js';
import { RecordingNotifier, recordingAdapter } from './fake-notifier.js';

const { DB, DATABASE_URL, AT, ROUNDS, START } = process.env;
const t = await createTestCoach({ dbPath: DB ?? ':memory:', databaseUrl: DATABASE_URL, clock: new FakeClock(Number(AT)), adapters: [recordingAdapter(new RecordingNotifier('slack'))] });
// Both processes start sweeping at the same wall-clock moment, so they really race.
while (Date.now() < Number(START ?? 0)) await new Promise((r) => setTimeout(r, 2));
let queued = 0;
for (let i = 0; i < Number(ROUNDS ?? 50); i++) queued += (await t.app.firing.sweep()).queued;
await t.app.stop();
process.stdout.write(JSON.stringify({ queued }));
