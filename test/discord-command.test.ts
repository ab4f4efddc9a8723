import { describe, expect, it } from 'vitest';
import { buildCommands, combinedLength, COMMAND_COMBINED_MAX, isDiscordAdmin, routineSuggestions, toGuildCommand } from '../src/adapters/discord/command.js';
import { interactionToCommand } from '../src/adapters/discord/parse.js';
import type { Routine } from '../src/core/catalogue.js';
import { commandsIn, GROUPS } from '../src/core/commands/table.js';
import { validateCommands } from './emulators/discord-emulator.js';
import { shippedCatalogue } from './support/coach.js';

const catalogue = shippedCatalogue();
const sub = (name: string, options: Record<string, unknown> = {}) => [
  { name, type: 1, options: Object.entries(options).map(([n, value]) => ({ name: n, type: typeof value === 'number' ? 4 : 3, value })) },
];
const group = (g: string, name: string, options: Record<string, unknown> = {}) => [{ name: g, type: 2, options: sub(name, options) }];

describe('interactionToCommand', () => {
  it('treats /stretch without a subcommand as the bare command (the picker)', () => {
    expect(interactionToCommand('stretch', [])).toEqual({ name: '', options: {} });
    expect(interactionToCommand('stretch')).toEqual({ name: '', options: {} });
  });

  it('maps each subcommand and its options to the core command', () => {
    expect(interactionToCommand('stretch', sub('start', { routine: 'full' }))).toEqual({ name: 'start', options: { routine: 'full' } });
    expect(interactionToCommand('stretch', sub('start'))).toEqual({ name: 'start', options: { routine: undefined } });
    expect(interactionToCommand('stretch', sub('dm', { routine: ' neck ' }))).toEqual({ name: 'dm', options: { routine: 'neck' } });
    expect(interactionToCommand('stretch', sub('group', { routine: 'desk' }))).toEqual({ name: 'group', options: { routine: 'desk' } });
    expect(interactionToCommand('stretch', sub('pause', { for: '2h' }))).toEqual({ name: 'pause', options: { for: '2h' } });
    expect(interactionToCommand('stretch', sub('pause', { for: 'for 3 days' }))).toEqual({ name: 'pause', options: { for: 'for 3 days' } });
    expect(interactionToCommand('stretch', sub('settings', { timezone: 'Europe/Berlin', hours: '09:00-17:30' }))).toEqual({
      name: 'settings',
      options: { timezone: 'Europe/Berlin', hours: '09:00-17:30' },
    });
    for (const name of ['list', 'help', 'optin', 'optout', 'resume', 'stats']) {
      expect(interactionToCommand('stretch', sub(name))).toEqual({ name, options: {} });
    }
  });

  it('maps the schedule group and the /stretch-schedule command to the same core commands', () => {
    const add = { when: 'weekdays 10:30', routine: 'desk', timezone: 'Europe/Berlin' };
    expect(interactionToCommand('stretch', group('schedule', 'add', add))).toEqual({ name: 'schedule add', options: add });
    expect(interactionToCommand('stretch-schedule', sub('add', add))).toEqual({ name: 'schedule add', options: add });
    expect(interactionToCommand('stretch', group('schedule', 'remove', { id: 'abc123' }))).toEqual({ name: 'schedule remove', options: { id: 'abc123' } });
    expect(interactionToCommand('stretch-schedule', sub('list'))).toEqual({ name: 'schedule list', options: {} });
  });

  it('maps the remind group', () => {
    expect(interactionToCommand('stretch', group('remind', 'add', { when: 'weekdays 11:00', routine: 'desk' }))).toEqual({
      name: 'remind add',
      options: { when: 'weekdays 11:00', routine: 'desk', timezone: undefined },
    });
    expect(interactionToCommand('stretch', group('remind', 'list'))).toEqual({ name: 'remind list', options: {} });
    expect(interactionToCommand('stretch', group('remind', 'remove', { id: 'k3f9a1' }))).toEqual({ name: 'remind remove', options: { id: 'k3f9a1' } });
  });

  it('answers anything unexpected with help instead of throwing', () => {
    expect(interactionToCommand('stretch', sub('dance'))).toEqual({ name: 'help', options: {}, unknown: 'dance' });
    expect(interactionToCommand('stretch', group('admin', 'add'))).toEqual({ name: 'help', options: {}, unknown: 'admin' });
    expect(interactionToCommand('stretch', group('schedule', 'explode'))).toEqual({ name: 'help', options: {}, unknown: 'schedule explode' });
    expect(interactionToCommand('other', [])).toEqual({ name: 'help', options: {}, unknown: '/other' });
    expect(interactionToCommand('stretch', sub('__proto__'))).toEqual({ name: 'help', options: {}, unknown: '__proto__' });
    // Wrong option types, unknown options and a number where text belongs.
    expect(interactionToCommand('stretch', sub('start', { routine: 42, extra: 'x' }))).toEqual({ name: 'start', options: { routine: '42' } });
    expect(interactionToCommand('stretch', [{ name: 'start', type: 1, options: [{ name: 'routine', type: 5, value: true }] }])).toEqual({
      name: 'start',
      options: { routine: undefined },
    });
  });

  it('offers every core subcommand (and group) on Discord', () => {
    const defined = buildCommands(catalogue)[0]!.options!.map((o) => o.name);
    expect([...defined].sort()).toEqual([...commandsIn().map((c) => c.path), ...GROUPS.map((g) => g.name)].sort());
  });
});

describe('command definition', () => {
  it('offers the routines as choices and stays within Discord limits', () => {
    const defs = buildCommands(catalogue);
    expect(validateCommands(defs)).toBeUndefined();
    for (const d of defs) expect(combinedLength(d)).toBeLessThanOrEqual(COMMAND_COMBINED_MAX);
    const start = defs[0]!.options!.find((o) => o.name === 'start') as { options: Array<{ choices?: Array<{ value: string }> }> };
    expect(start.options[0]!.choices!.map((c) => c.value)).toEqual(catalogue.routines.map((r) => r.id));
  });

  it('switches to autocomplete when the routines do not fit as choices', () => {
    const many: Routine[] = Array.from({ length: 24 }, (_, i) => ({
      id: `routine-${i}`,
      name: `A rather long routine name number ${i} for testing`,
      description: 'd',
      exerciseIds: ['x'],
      estimatedSeconds: 60,
    }));
    const defs = buildCommands({ routines: many });
    expect(validateCommands(defs)).toBeUndefined();
    const start = defs[0]!.options!.find((o) => o.name === 'start') as { options: Array<{ autocomplete?: boolean; choices?: unknown }> };
    expect(start.options[0]).toMatchObject({ autocomplete: true });
    expect(start.options[0]!.choices).toBeUndefined();
    expect(routineSuggestions(many, '2')).toHaveLength(many.filter((r) => r.id.includes('2') || r.name.includes('2')).length);
    expect(routineSuggestions([...many, ...many, ...many], '')).toHaveLength(25);
  });

  it('drops contexts and integration types for guild registration', () => {
    const guild = toGuildCommand(buildCommands(catalogue)[0]!);
    expect(guild).not.toHaveProperty('contexts');
    expect(guild).not.toHaveProperty('integration_types');
  });

  it('lets Manage Server or Administrator manage schedules, nobody else', () => {
    expect(isDiscordAdmin(1n << 5n)).toBe(true);
    expect(isDiscordAdmin(1n << 3n)).toBe(true);
    expect(isDiscordAdmin((1n << 10n) | (1n << 11n))).toBe(false);
    expect(isDiscordAdmin(null)).toBe(false);
  });
});
