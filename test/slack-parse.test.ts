import { describe, expect, it } from 'vitest';
import { PERMANENT_SLACK_ERRORS, toDeliveryError } from '../src/adapters/slack/deliver.js';
import { parseBlockAction, parseSlashCommand, SLACK_CAPABILITIES } from '../src/adapters/slack/parse.js';
import { createProfileCache, PROFILE_TTL_MS } from '../src/adapters/slack/profile.js';
import { DeliveryError } from '../src/core/notifier.js';
import { silentLogger } from './support/coach.js';

describe('parseSlashCommand', () => {
  const body = { team_id: 'T1', user_id: 'U1', channel_id: 'C1', channel_name: 'general', command: '/stretch', text: ' start  Full ', response_url: 'x' };

  it('turns the text into the core subcommand', () => {
    expect(parseSlashCommand(body)).toEqual({
      platform: 'slack',
      workspaceId: 'T1',
      // The workspace is the team that team views sum up.
      teamId: 'T1',
      userId: 'U1',
      channelId: 'C1',
      isDm: false,
      caps: SLACK_CAPABILITIES,
      command: { name: 'start', options: { routine: 'Full' } },
    });
    expect(parseSlashCommand({ ...body, text: '' })?.command).toEqual({ name: '', options: {} });
    expect(parseSlashCommand({ ...body, text: 'dm neck' })?.command).toEqual({ name: 'dm', options: { routine: 'neck' } });
  });

  it('knows a DM by its D id or by channel_name directmessage', () => {
    expect(parseSlashCommand({ ...body, channel_id: 'D1' })?.isDm).toBe(true);
    expect(parseSlashCommand({ ...body, channel_id: 'C9', channel_name: 'directmessage' })?.isDm).toBe(true);
    expect(parseSlashCommand({ ...body, channel_id: 'G1', channel_name: 'privategroup' })?.isDm).toBe(false);
  });

  it('rejects payloads without usable ids', () => {
    for (const bad of [null, 'text', [], {}, { ...body, team_id: 1 }, { ...body, user_id: '' }, { ...body, channel_id: 'C1<script>' }, { ...body, user_id: 'U'.repeat(65) }]) {
      expect(parseSlashCommand(bad)).toBeUndefined();
    }
    expect(parseSlashCommand({ ...body, text: 42 })?.command.name).toBe('');
  });
});

describe('parseBlockAction', () => {
  const body = {
    type: 'block_actions',
    user: { id: 'U1', team_id: 'T1' },
    team: { id: 'T1' },
    channel: { id: 'D1', name: 'directmessage' },
    container: { type: 'message', channel_id: 'D1', message_ts: '1.000001', is_ephemeral: false },
    actions: [{ action_id: 's:abc:0:next', value: 's:abc:0:next', type: 'button' }],
  };

  it('gives the core action and where the clicked message lives', () => {
    expect(parseBlockAction(body)).toEqual({
      action: { platform: 'slack', workspaceId: 'T1', teamId: 'T1', userId: 'U1', channelId: 'D1', isDm: true, caps: SLACK_CAPABILITIES, actionId: 's:abc:0:next' },
      message: { channelId: 'D1', ts: '1.000001', isEphemeral: false },
      fromHome: false,
    });
    const eph = parseBlockAction({ ...body, channel: { id: 'C1', name: 'general' }, container: { ...body.container, channel_id: 'C1', is_ephemeral: true } });
    expect(eph?.message).toEqual({ channelId: 'C1', ts: '1.000001', isEphemeral: true });
    expect(eph?.action.isDm).toBe(false);
  });

  it("falls back to the user's team on org-wide installs (team: null)", () => {
    expect(parseBlockAction({ ...body, team: null })?.action.workspaceId).toBe('T1');
  });

  it('rejects anything else', () => {
    for (const bad of [
      undefined,
      { ...body, type: 'view_submission' },
      { ...body, user: undefined },
      { ...body, actions: [] },
      { ...body, actions: 'x' },
      { ...body, actions: [{ action_id: 7 }] },
      { ...body, channel: undefined, container: {} },
    ]) {
      expect(parseBlockAction(bad)).toBeUndefined();
    }
  });
});

describe('Slack errors → DeliveryError', () => {
  const platformError = (error: string) => Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error } });

  it('marks the errors retrying cannot fix as permanent', () => {
    for (const code of ['cannot_dm_bot', 'user_not_found', 'channel_not_found', 'not_in_channel', 'is_archived', 'user_disabled', 'messages_tab_disabled']) {
      expect(PERMANENT_SLACK_ERRORS.has(code)).toBe(true);
      const e = toDeliveryError(platformError(code), 'chat.postMessage');
      expect(e).toBeInstanceOf(DeliveryError);
      expect(e).toMatchObject({ permanent: true, message: `Slack chat.postMessage failed: ${code}` });
    }
    expect(toDeliveryError(platformError('ratelimited'), 'x').permanent).toBe(false);
    expect(toDeliveryError(new Error('socket hang up'), 'x')).toMatchObject({ permanent: false, message: 'Slack x failed: socket hang up' });
  });
});

describe('profile cache (users.info)', () => {
  it('asks once per user within the TTL, then again; failures are not cached', async () => {
    let now = 0;
    const asked: string[] = [];
    let fail = false;
    const api = {
      users: {
        info: async ({ user }: { user: string }) => {
          asked.push(user);
          if (fail) throw new Error('ratelimited');
          return { user: { tz: user === 'U1' ? 'Europe/Berlin' : 'Not/AZone', is_admin: user === 'U2' } };
        },
      },
    };
    const cache = createProfileCache({ apiFor: async () => api, adminUserIds: ['U3'], logger: silentLogger(), now: () => now });
    expect(await cache.get('T', 'U1')).toEqual({ timezone: 'Europe/Berlin', isAdmin: false });
    expect(await cache.get('T', 'U1')).toEqual({ timezone: 'Europe/Berlin', isAdmin: false });
    expect(await cache.get('T', 'U2')).toEqual({ timezone: undefined, isAdmin: true });
    expect(asked).toEqual(['U1', 'U2']);
    now += PROFILE_TTL_MS;
    fail = true;
    expect(await cache.get('T', 'U3')).toEqual({ isAdmin: true });
    expect(await cache.get('T', 'U1')).toEqual({ isAdmin: false });
    fail = false;
    expect(await cache.get('T', 'U1')).toEqual({ timezone: 'Europe/Berlin', isAdmin: false });
    expect(asked).toEqual(['U1', 'U2', 'U3', 'U1', 'U1']);
  });

  it('hands on the status from each look-up; refresh looks up again whatever the cache holds', async () => {
    const seen: unknown[] = [];
    let text = 'In a meeting';
    const api = { users: { info: async () => ({ user: { tz: 'UTC', profile: { status_emoji: ':calendar:', status_text: text, status_expiration: 0 } } }) } };
    const cache = createProfileCache({ apiFor: async () => api, adminUserIds: [], logger: silentLogger(), onStatus: async (w, u, status) => void seen.push([w, u, status]) });
    await cache.get('T', 'U1');
    text = 'Lunch';
    await cache.get('T', 'U1');
    expect(seen).toEqual([['T', 'U1', { emoji: ':calendar:', text: 'In a meeting', expiresAt: undefined }]]);
    await cache.refresh('T', 'U1');
    expect(seen[1]).toEqual(['T', 'U1', { emoji: ':calendar:', text: 'Lunch', expiresAt: undefined }]);
  });
});
