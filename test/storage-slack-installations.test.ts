/**
 * The Slack installations repository on every database: save/replace/find, and removing a
 * workspace pauses its schedules and skips its pending outbox rows without touching another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackInstallationRecord } from '../src/adapters/slack/installations.js';
import type { Schedule } from '../src/core/team/ports.js';
import type { Storage } from '../src/storage/open.js';
import { rows, sql } from './support/coach.js';
import { databases, openReplicas } from './support/databases.js';

const T = Date.UTC(2026, 10, 24, 9);
const install = (key: string, over: Partial<SlackInstallationRecord> = {}): SlackInstallationRecord => ({
  key, teamId: key, teamName: `Team ${key}`, isEnterprise: false, botToken: `xoxb-${key}-1`, botId: 'B1', botUserId: 'U0BOT',
  scopes: ['commands', 'chat:write'], installerUserId: 'U0ADMIN', installedAt: T, ...over,
});
const schedule = (id: string, workspaceId: string, platform: 'slack' | 'discord' = 'slack'): Schedule => ({
  id, platform, workspaceId, kind: 'channel', channelId: 'C1', userId: 'U1', whenText: 'daily 10:00',
  crons: ['0 10 * * *'], timezone: 'UTC', routineId: 'desk', paused: false, createdAt: T, updatedAt: T, nextFireAt: T + 3_600_000,
});

describe.each(databases())('Slack installations on $label', (database) => {
  const { skip } = database;
  let a: Storage;
  let b: Storage;
  let close = async () => {};
  beforeAll(async () => {
    if (!skip) ({ a, b, close } = await openReplicas(database));
  });
  afterAll(() => close());

  it.skipIf(skip)('saves, finds (from another replica) and replaces on reinstall', async () => {
    expect(await a.slackInstallations.find('T1')).toBeUndefined();
    await a.slackInstallations.save(install('T1'));
    expect(await b.slackInstallations.find('T1')).toEqual({ ...install('T1'), enterpriseId: undefined });
    await b.slackInstallations.save(install('T1', { botToken: 'xoxb-T1-2', scopes: ['commands'], installedAt: T + 1 }));
    expect(await a.slackInstallations.find('T1')).toMatchObject({ botToken: 'xoxb-T1-2', scopes: ['commands'], installedAt: T + 1 });
  });

  it.skipIf(skip)('remove: forgets the installation, pauses that workspace\'s schedules, skips its pending rows; nothing else changes', async () => {
    await a.slackInstallations.save(install('T2'));
    await a.slackInstallations.save(install('T3'));
    const mine = schedule('r-t2', 'T2');
    const other = schedule('r-t3', 'T3');
    const discord = schedule('r-d', 'T2', 'discord');
    for (const s of [mine, other, discord]) await a.schedules.insert(s);
    for (const s of [mine, other, discord]) await a.delivery.recordFire(s, { id: `f-${s.id}`, scheduleId: s.id, platform: s.platform, workspaceId: s.workspaceId, channelId: 'C1', routineId: 'desk', fireAt: T }, 'queued', ['U1'], T);

    expect(await b.slackInstallations.remove('T2', 'app_uninstalled', T + 5)).toEqual({ removed: true, schedulesPaused: 1, outboxSkipped: 2 });
    expect(await a.slackInstallations.find('T2')).toBeUndefined();
    expect(await a.slackInstallations.find('T3')).toBeDefined();
    expect(await rows({ storage: a }, sql`select id, paused, next_fire_at from schedules where id like 'r-%' order by id`)).toEqual([
      { id: 'r-d', paused: 0, next_fire_at: T + 3_600_000 },
      { id: 'r-t2', paused: 1, next_fire_at: null },
      { id: 'r-t3', paused: 0, next_fire_at: T + 3_600_000 },
    ]);
    expect(await rows({ storage: a }, sql`select fire_id, status, detail from outbox where fire_id like 'f-r-%' order by fire_id, kind`)).toEqual([
      { fire_id: 'f-r-d', status: 'pending', detail: null },
      { fire_id: 'f-r-d', status: 'pending', detail: null },
      { fire_id: 'f-r-t2', status: 'skipped', detail: 'app_uninstalled' },
      { fire_id: 'f-r-t2', status: 'skipped', detail: 'app_uninstalled' },
      { fire_id: 'f-r-t3', status: 'pending', detail: null },
      { fire_id: 'f-r-t3', status: 'pending', detail: null },
    ]);
    // Again (Slack retries events): nothing left to do, and no error.
    expect(await a.slackInstallations.remove('T2', 'tokens_revoked', T + 6)).toEqual({ removed: false, schedulesPaused: 0, outboxSkipped: 0 });
  });
});
