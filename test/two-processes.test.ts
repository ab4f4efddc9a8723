import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandText } from '../src/core/commands/text.js';
import { createTestCoach, FakeClock, rows } from './support/coach.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'stretch-2proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('two processes sharing one database', () => {
  it('record each due slot once between them', async () => {
    const DB = join(dir, 'shared.db');
    const t = await createTestCoach({ dbPath: DB, clock: new FakeClock(Date.parse('2026-11-24T09:00:00Z')) });
    for (const when of ['daily 10:00', 'daily 10:00 neck', 'weekdays 10:00 full']) {
      await t.coach.handleCommand({
        platform: 'slack', workspaceId: 'T1', channelId: 'C1', userId: 'U1', isDm: false,
        profile: async () => ({ isAdmin: true }), command: parseCommandText(`schedule add ${when}`),
      });
    }
    await t.app.stop();
    const env = { ...process.env, DB, AT: String(Date.parse('2026-11-24T10:00:30Z')), ROUNDS: '40', START: String(Date.now() + 4000) };
    const script = join(ROOT, 'test/support/sweep-process.ts');
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const outputs = await Promise.all([1, 2].map(() => run(tsx, [script], { env, cwd: ROOT })));
    const queued = outputs.map((o) => (JSON.parse(o.stdout) as { queued: number }).queued);
    expect(queued.reduce((a, b) => a + b, 0)).toBe(3);

    const check = await createTestCoach({ dbPath: DB });
    expect(await rows(check, 'SELECT COUNT(*) n FROM fires')).toEqual([{ n: 3 }]);
    expect(await rows(check, "SELECT COUNT(*) n FROM outbox WHERE kind = 'channel'")).toEqual([{ n: 3 }]);
    await check.app.stop();
  });
});
