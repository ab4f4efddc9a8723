/**
 * The command table is the one list of commands: the text parser, the help card, the Discord
 * definitions and the admin gate are derived from it. These tests prove the views agree.
 */
import type { APIApplicationCommandOption } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { buildCommands, twinName } from '../src/adapters/discord/command.js';
import { interactionToCommand } from '../src/adapters/discord/parse.js';
import { helpLines } from '../src/core/commands/help.js';
import type { CommandSpec } from '../src/core/commands/spec.js';
import { COMMANDS, findGroup, GROUPS, leafName } from '../src/core/commands/table.js';
import { parseCommandText } from '../src/core/commands/text.js';
import type { Capabilities, UserProfile } from '../src/core/incoming.js';
import { createTestCoach, shippedCatalogue } from './support/coach.js';

const catalogue = shippedCatalogue();
const groupOf = (spec: CommandSpec) => (spec.path.includes(' ') ? spec.path.split(' ')[0] : undefined);

/** Text that fills every option of a command, the way a person would type it. */
function sampleText(spec: CommandSpec): string {
  if (spec.text === 'keyed') return `${spec.path} ${spec.options[0]!.name} Europe/Berlin`;
  return [spec.path, ...spec.options.slice(0, 1).map((o) => (o.kind === 'routine' ? 'desk' : 'daily 15:00'))].join(' ');
}

function discordOptions(spec: CommandSpec): readonly APIApplicationCommandOption[] | undefined {
  const [stretch] = buildCommands(catalogue);
  const group = groupOf(spec);
  const parent = group ? (stretch!.options!.find((o) => o.name === group) as { options?: APIApplicationCommandOption[] }).options! : stretch!.options!;
  const sub = parent.find((o) => o.name === leafName(spec)) as { options?: APIApplicationCommandOption[] } | undefined;
  return sub ? (sub.options ?? []) : undefined;
}

describe('the command table', () => {
  it('has unique paths, descriptions that fit every platform, and groups for every grouped path', () => {
    const paths = COMMANDS.map((c) => c.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const c of COMMANDS) {
      expect(c.description.length, c.path).toBeLessThanOrEqual(100);
      for (const o of c.options) expect(o.description.length, `${c.path} ${o.name}`).toBeLessThanOrEqual(100);
      const group = groupOf(c);
      if (group) expect(findGroup(group), c.path).toBeDefined();
    }
    for (const g of GROUPS) expect(paths).toContain(`${g.name} ${g.bare}`);
  });

  it.each(COMMANDS.map((c) => [c.path, c] as const))('%s: parsed from text with its options', (_path, spec) => {
    const parsed = parseCommandText(`/stretch ${sampleText(spec)}`);
    expect(parsed.name).toBe(spec.path);
    expect(parsed.unknown).toBeUndefined();
    if (spec.options.length) expect(Object.keys(parsed.options)).toEqual([spec.options[0]!.name]);
  });

  it.each(COMMANDS.map((c) => [c.path, c] as const))('%s: listed in help with its options and who may run it', (_path, spec) => {
    const line = helpLines(COMMANDS).find((l) => l.startsWith(`/stretch ${spec.path}`) && l.charAt(`/stretch ${spec.path}`.length).match(/[ :]/));
    expect(line).toBeDefined();
    for (const o of spec.options) expect(line).toContain(spec.text === 'keyed' ? `${o.name} <` : o.hint ?? o.name);
    expect(line!.endsWith('(admins)')).toBe(spec.access === 'admins');
  });

  it.each(COMMANDS.map((c) => [c.path, c] as const))('%s: defined on Discord with the same options, and parsed back', (_path, spec) => {
    const options = discordOptions(spec);
    expect(options).toBeDefined();
    expect(options!.map((o) => [o.name, 'required' in o ? o.required : undefined])).toEqual(spec.options.map((o) => [o.name, o.required ?? false]));
    const group = groupOf(spec);
    const given = spec.options.map((o) => ({ name: o.name, type: 3, value: 'x' }));
    const sub = { name: leafName(spec), type: 1, options: given };
    const invoked = group ? [{ name: group, type: 2, options: [sub] }] : [sub];
    expect(interactionToCommand('stretch', invoked)).toEqual({ name: spec.path, options: Object.fromEntries(spec.options.map((o) => [o.name, 'x'])) });
  });

  it('registers a hidden stand-alone twin for exactly the groups that hold admin commands', () => {
    const adminGroups = GROUPS.filter((g) => COMMANDS.some((c) => groupOf(c) === g.name && c.access === 'admins'));
    expect(adminGroups.map((g) => g.name)).toEqual(['schedule']);
    expect(buildCommands(catalogue).slice(1).map((d) => [d.name, d.default_member_permissions !== undefined])).toEqual(adminGroups.map((g) => [twinName(g), true]));
  });
});

describe('the one gate', () => {
  const chat: Capabilities = { messaging: true, admins: 'the people in charge' };
  const member: UserProfile = { isAdmin: false };
  const admin: UserProfile = { isAdmin: true, timezone: 'UTC' };

  const run = async (spec: CommandSpec, profile: UserProfile, caps: Capabilities) => {
    const t = await createTestCoach();
    const [reply] = await t.coach.handleCommand({
      platform: 'chat', workspaceId: 'W1', userId: 'U1', channelId: 'C1', isDm: false, caps,
      profile: async () => profile, command: parseCommandText(`/stretch ${sampleText(spec)}`),
    });
    return reply!.card;
  };

  it.each(COMMANDS.filter((c) => c.access === 'admins').map((c) => [c.path, c] as const))('%s refuses a non-admin in the platform\'s words, and lets an admin through', async (_p, spec) => {
    const refused = await run(spec, member, chat);
    expect(refused.title).toBe('Admins only');
    expect(refused.sections.join(' ')).toContain('Only the people in charge can use');
    expect((await run(spec, admin, chat)).title).not.toBe('Admins only');
  });

  it.each(COMMANDS.filter((c) => c.where === 'chat').map((c) => [c.path, c] as const))('%s is refused where nothing can be posted', async (_p, spec) => {
    expect((await run(spec, admin, { ...chat, messaging: false })).title).toBe('Not available here');
  });

  it.each(COMMANDS.filter((c) => c.where === 'anywhere').map((c) => [c.path, c] as const))('%s works where nothing can be posted', async (_p, spec) => {
    expect((await run(spec, admin, { ...chat, messaging: false })).title).not.toBe('Not available here');
  });
});
