import { describe, expect, it } from 'vitest';
import { ACTION_ID_MAX, decodeAction, encodeAction, type ActionRef } from '../src/core/action-id.js';
import { progressBar, progressLine } from '../src/core/progress.js';
import { parseCommandText } from '../src/core/commands/text.js';

describe('action ids', () => {
  it('round-trip every kind within the 100-char limit', () => {
    const refs: ActionRef[] = [
      { kind: 'session', sessionId: 'a'.repeat(10), step: 11, verb: 'resume' },
      { kind: 'pick', routineId: 'x'.repeat(40), inDm: true },
      { kind: 'prompt', promptId: 'abc123', verb: 'skipday' },
      { kind: 'session', sessionId: 'abc123', step: 3, verb: 'never' },
      { kind: 'restore', exerciseId: `n${'x'.repeat(59)}` },
    ];
    for (const ref of refs) {
      const id = encodeAction(ref);
      expect(id.length).toBeLessThanOrEqual(ACTION_ID_MAX);
      expect(decodeAction(id)).toEqual(ref);
    }
  });
  it('rejects anything else', () => {
    for (const id of ['', 's:abc:1:fly', 's:ABC:1:next', 's:abc:1234:next', 'pick:elsewhere:full', 'p:abc:explode', 'restore:', 'restore:Neck Rolls', `s:${'a'.repeat(99)}:1:next`]) {
      expect(decodeAction(id)).toBeUndefined();
    }
  });
});

describe('progress', () => {
  it('draws the bar the issue shows', () => {
    expect(progressLine(4, 12)).toBe('Step 4 of 12 ▰▰▰▰▱▱▱▱▱▱▱▱');
    expect(progressBar(1, 1)).toBe('▰');
    expect(progressBar(10, 40)).toHaveLength(20);
    expect(progressBar(40, 40)).toBe('▰'.repeat(20));
  });
});

describe('command text', () => {
  it.each([
    ['', { name: '', options: {} }],
    ['/stretch start full', { name: 'start', options: { routine: 'full' } }],
    ['START Desk', { name: 'start', options: { routine: 'Desk' } }],
    ['dm', { name: 'dm', options: { routine: undefined } }],
    ['pause 2h', { name: 'pause', options: { for: '2h' } }],
    ['settings', { name: 'settings', options: {} }],
    ['settings timezone Europe/Berlin', { name: 'settings', options: { timezone: 'Europe/Berlin' } }],
    ['settings hours 09:00-17:30', { name: 'settings', options: { hours: '09:00-17:30' } }],
    ['schedule add weekdays 10:30,15:00 full', { name: 'schedule add', options: { when: 'weekdays 10:30,15:00 full' } }],
    ['schedule', { name: 'schedule list', options: {} }],
    ['schedule explode', { name: 'help', options: {}, unknown: 'schedule explode' }],
    ['remind daily 15:00', { name: 'remind add', options: { when: 'daily 15:00' } }],
    ['yoga now', { name: 'help', options: {}, unknown: 'yoga' }],
  ])('%j', (text, expected) => {
    expect(parseCommandText(text)).toEqual(expected);
  });
});
