import { describe, expect, it } from 'vitest';
import { busyFromStatus, laterBusy } from '../src/core/busy.js';
import { dndBusy, statusOf } from '../src/adapters/slack/busy.js';
import { busyDecision } from '../src/scheduler/send-policy.js';

const NOW = Date.parse('2026-11-24T09:30:00Z');
const in1h = NOW + 3_600_000;

describe('busyFromStatus', () => {
  it.each([
    [':spiral_calendar_pad:', 'In a meeting', 'in a meeting'],
    [':calendar:', '', 'in a meeting'],
    ['', 'Weekly standup', 'in a meeting'],
    [':phone:', '', 'on a call'],
    [':headphones:', 'In a huddle', 'on a call'],
    ['', 'On a Zoom call', 'on a call'],
    [':palm_tree:', 'Vacationing', 'on vacation'],
    ['', 'PTO until Monday', 'on vacation'],
    [':face_with_thermometer:', 'Out sick', 'off sick'],
    ['', 'OOO', 'out of office'],
    ['', 'Out of the office', 'out of office'],
  ])('%s %s → %s', (emoji, text, reason) => {
    expect(busyFromStatus({ emoji, text, expiresAt: in1h }, NOW)).toEqual({ reason, until: in1h });
  });

  it('is not busy for other statuses, an empty one or an expired one', () => {
    expect(busyFromStatus({ emoji: ':coffee:', text: 'Working from a café' }, NOW)).toBeUndefined();
    expect(busyFromStatus({ emoji: ':house_with_garden:', text: 'Working remotely' }, NOW)).toBeUndefined();
    expect(busyFromStatus({}, NOW)).toBeUndefined();
    expect(busyFromStatus({ emoji: ':spiral_calendar_pad:', text: 'In a meeting', expiresAt: NOW - 1 }, NOW)).toBeUndefined();
    // "recall" is not a call; whole words only.
    expect(busyFromStatus({ text: 'Total recall' }, NOW)).toBeUndefined();
  });

  it('a status without expiry has no known end', () => {
    expect(busyFromStatus({ emoji: ':palm_tree:', text: '' }, NOW)).toEqual({ reason: 'on vacation' });
  });

  it('laterBusy keeps the later end, and an unknown end beats any', () => {
    const a = { reason: 'in a meeting', until: in1h } as const;
    const b = { reason: 'do not disturb', until: in1h + 1 } as const;
    expect(laterBusy(a, b)).toBe(b);
    expect(laterBusy(a, undefined)).toBe(a);
    expect(laterBusy({ reason: 'on vacation' }, b)).toEqual({ reason: 'on vacation' });
  });
});

describe('dndBusy (Slack dnd.teamInfo)', () => {
  const s = (ms: number) => ms / 1000;
  it('counts a scheduled window in force now, not one that merely exists or is over', () => {
    expect(dndBusy({ dnd_enabled: true, next_dnd_start_ts: s(NOW - 1000), next_dnd_end_ts: s(in1h) }, NOW)).toEqual({ reason: 'do not disturb', until: in1h });
    expect(dndBusy({ dnd_enabled: true, next_dnd_start_ts: s(in1h), next_dnd_end_ts: s(in1h * 2) }, NOW)).toBeUndefined();
    expect(dndBusy({ dnd_enabled: true, next_dnd_start_ts: s(NOW - 2000), next_dnd_end_ts: s(NOW - 1000) }, NOW)).toBeUndefined();
    // Slack's "no window": dnd_enabled false with 1s for the times.
    expect(dndBusy({ dnd_enabled: false, next_dnd_start_ts: 1, next_dnd_end_ts: 1 }, NOW)).toBeUndefined();
  });
});

describe('statusOf (a Slack profile)', () => {
  it('reads emoji, words and expiry; an empty status is none', () => {
    expect(statusOf({ status_emoji: ':spiral_calendar_pad:', status_text: 'In a meeting', status_expiration: 1_764_000_000 })).toEqual({
      emoji: ':spiral_calendar_pad:',
      text: 'In a meeting',
      expiresAt: 1_764_000_000_000,
    });
    expect(statusOf({ status_emoji: ':palm_tree:', status_text: '', status_expiration: 0 })).toEqual({ emoji: ':palm_tree:', text: undefined, expiresAt: undefined });
    expect(statusOf({ status_emoji: '', status_text: '', status_expiration: 0 })).toBeUndefined();
    expect(statusOf(undefined)).toBeUndefined();
  });
});

describe('busyDecision', () => {
  const berlin9to5 = { platform: 'p', workspaceId: 'w', userId: 'u', timezone: 'Europe/Berlin', workStartMin: 540, workEndMin: 1020 };
  it('waits for an end inside the working day', () => {
    expect(busyDecision({ reason: 'in a meeting', until: in1h }, berlin9to5, NOW, 'UTC')).toEqual({ wait: in1h, detail: 'waiting: in a meeting until 2026-11-24T10:30:00.000Z' });
  });
  it('skips for the day when it ends at or after the end of work (17:00 Berlin = 16:00 UTC), or never says', () => {
    expect(busyDecision({ reason: 'do not disturb', until: Date.parse('2026-11-24T16:00:00Z') }, berlin9to5, NOW, 'UTC')).toEqual({
      skip: 'busy (do not disturb) until after the working day; skipped for today',
    });
    expect(busyDecision({ reason: 'on vacation' }, berlin9to5, NOW, 'UTC')).toEqual({ skip: 'busy (on vacation) with no end given; skipped for today' });
  });
  it('without working hours the day ends at local midnight', () => {
    const late = Date.parse('2026-11-24T22:30:00Z'); // 23:30 Berlin
    expect(busyDecision({ reason: 'on a call', until: late }, { ...berlin9to5, workStartMin: undefined, workEndMin: undefined }, NOW, 'UTC')).toMatchObject({ wait: late });
    expect(busyDecision({ reason: 'on a call', until: late + 3_600_000 }, undefined, NOW, 'Europe/Berlin')).toMatchObject({ skip: expect.any(String) });
  });
});
