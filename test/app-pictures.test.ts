/**
 * Pictures at start-up, through the composition root: the cache is warmed while the app is
 * built (so a warm start-up draws nothing), and content without a pose still loads, with a
 * warning naming the exercise and its file.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { stepCard } from '../src/core/views.js';
import { newSession } from '../src/core/session.js';
import { capturingLogger } from './support/slack.js';
import { CONTENT_DIR, TEST_PICTURES_DIR } from './support/coach.js';

const dir = mkdtempSync(join(tmpdir(), 'stretch-app-pictures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pictures at start-up', () => {
  it('warms the cache while building the app; with the files there, it draws nothing', async () => {
    const config = loadConfig({ DATABASE_PATH: ':memory:', CONTENT_DIR, PICTURES_DIR: TEST_PICTURES_DIR });
    const first = await createApp(config, capturingLogger().logger, { timers: false });
    await first.stop();
    const log = capturingLogger();
    const app = await createApp(config, log.logger, { timers: false });
    expect(app.pictures.get('cat-cow')!.gifPath.startsWith(TEST_PICTURES_DIR)).toBe(true);
    expect(log.lines.filter((l) => l.msg === 'exercise pictures drawn')).toEqual([]);
    const started = performance.now();
    const again = await app.pictures.warm();
    expect(performance.now() - started).toBeLessThan(50);
    expect(again).toMatchObject({ rendered: [], reused: expect.arrayContaining(['cat-cow']) });
    await app.stop();
  });

  it('an exercise without a pose loads, with a start-up warning naming it and its file, and its step has no picture', async () => {
    const content = join(dir, 'content');
    cpSync(CONTENT_DIR, content, { recursive: true });
    const file = join(content, 'exercises/cat-cow.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\npose:[\s\S]*$/, '\n'));
    const log = capturingLogger();
    const app = await createApp(loadConfig({ DATABASE_PATH: ':memory:', CONTENT_DIR: content, PICTURES_DIR: TEST_PICTURES_DIR }), log.logger, { timers: false });
    const warnings = log.lines.filter((l) => l.level === 40).map((l) => String(l.msg));
    expect(warnings).toEqual([expect.stringMatching(/cat-cow\.yaml: exercise "cat-cow" has no "pose" section, so it has no picture/)]);
    expect(app.pictures.get('cat-cow')).toBeUndefined();
    const session = newSession({ id: 's1', platform: 'slack', workspaceId: 'T', userId: 'u', channelId: 'C', surface: 'channel', routineId: 'floor', exerciseIds: ['cat-cow'], now: 0 });
    expect(stepCard(session, app.catalogue).image).toBeUndefined();
    await app.stop();
  });
});
