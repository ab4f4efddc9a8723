/**
 * `npm run discord:register`: what it sends to Discord, checked by the emulator with Discord's
 * own rules for command definitions (names, lengths, 25 choices, 4000 characters, order of
 * required options).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DiscordAPIError } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../src/adapters/discord/register.js';
import { DiscordEmulator } from './emulators/discord-emulator.js';
import { CONTENT_DIR, shippedCatalogue } from './support/coach.js';
import { cleanEnv, ROOT } from './support/run-bot.js';

const catalogue = shippedCatalogue();
const emu = new DiscordEmulator();
const dir = mkdtempSync(join(tmpdir(), 'stretch-register-'));

beforeAll(() => emu.start());
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

const routineChoices = () => catalogue.routines.map((r) => ({ name: `${r.name} (${r.id})`, value: r.id }));
const routineOption = (description: string) => ({ type: 3, name: 'routine', description, required: false, choices: routineChoices() });
const scheduleSubcommands = () => [
  {
    type: 1,
    name: 'add',
    description: 'Add a stretch break prompt to this channel',
    options: [
      { type: 3, name: 'when', description: 'When, e.g. weekdays 10:30 (leave out for a form)', required: false, max_length: 100 },
      routineOption('Which routine (default: desk)'),
      { type: 3, name: 'timezone', description: 'IANA time zone, e.g. Europe/Berlin (default: yours, else the bot default)', required: false, max_length: 64 },
    ],
  },
  { type: 1, name: 'list', description: "List this channel's stretch break prompts" },
  {
    type: 1,
    name: 'remove',
    description: 'Remove a stretch break prompt',
    options: [{ type: 3, name: 'id', description: 'The schedule id (see /stretch schedule list)', required: true, max_length: 64 }],
  },
  {
    type: 1,
    name: 'pause',
    description: 'Pause a stretch break prompt',
    options: [{ type: 3, name: 'id', description: 'The schedule id (see /stretch schedule list)', required: true, max_length: 64 }],
  },
  {
    type: 1,
    name: 'resume',
    description: 'Resume a paused stretch break prompt',
    options: [{ type: 3, name: 'id', description: 'The schedule id (see /stretch schedule list)', required: true, max_length: 64 }],
  },
];

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), [resolve(ROOT, script)], { cwd: dir, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

describe('discord:register', () => {
  it('PUTs /stretch (subcommands, the remind and schedule groups, options, routine choices) and /stretch-schedule globally', async () => {
    const result = await registerCommands({ token: emu.token, applicationId: emu.applicationId, apiUrl: emu.apiUrl, catalogue });
    expect(result.scope).toBe('global');
    const puts = emu.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => [r.path, r.status])).toEqual([[`/applications/${emu.applicationId}/commands`, 200]]);
    const [stretch, schedule] = puts[0]!.body;

    expect(stretch).toEqual({
      type: 1,
      name: 'stretch',
      description: 'Guided stretch breaks: pick a routine and follow it step by step',
      contexts: [0, 1],
      integration_types: [0],
      options: [
        { type: 1, name: 'start', description: 'Start a guided stretch routine here, one step at a time', options: [routineOption('Which routine (leave empty to pick one)')] },
        { type: 1, name: 'dm', description: 'Get a guided routine in your direct messages', options: [routineOption('Which routine (leave empty to pick one)')] },
        { type: 1, name: 'list', description: 'Show the routines and their exercises' },
        { type: 1, name: 'stats', description: 'Your stretch history' },
        { type: 1, name: 'help', description: 'What the stretch coach can do' },
        { type: 1, name: 'group', description: 'Invite this channel to stretch together', options: [routineOption('Which routine (default: desk)')] },
        { type: 1, name: 'optin', description: "Get this channel's stretch break prompts by DM" },
        { type: 1, name: 'optout', description: "Stop getting this channel's stretch break prompts by DM" },
        {
          type: 1,
          name: 'pause',
          description: 'Pause all stretch DMs for a while',
          options: [{ type: 3, name: 'for', description: 'How long, e.g. 2h, 1d, today, tomorrow or 1w', required: true, max_length: 32 }],
        },
        { type: 1, name: 'resume', description: 'Resume stretch DMs after a pause' },
        {
          type: 1,
          name: 'settings',
          description: 'Your time zone, working hours and the exercises you skip',
          options: [
            { type: 3, name: 'timezone', description: 'IANA time zone, e.g. Europe/Berlin or America/New_York', required: false, max_length: 64 },
            { type: 3, name: 'hours', description: 'Working hours, e.g. 09:00-17:30, or off', required: false, max_length: 32 },
            { type: 3, name: 'restore', description: 'An exercise you skip, to bring back into your sessions', required: false, max_length: 64 },
          ],
        },
        {
          type: 2,
          name: 'remind',
          description: 'Your own stretch reminders by DM',
          options: [
            {
              type: 1,
              name: 'add',
              description: 'Get a stretch reminder by DM',
              options: [
                { type: 3, name: 'when', description: 'When, e.g. weekdays 11:00 (leave out for a form)', required: false, max_length: 100 },
                routineOption('Which routine (default: desk)'),
                { type: 3, name: 'timezone', description: 'IANA time zone, e.g. Europe/Berlin (default: yours)', required: false, max_length: 64 },
              ],
            },
            { type: 1, name: 'list', description: 'List your stretch reminders' },
            {
              type: 1,
              name: 'remove',
              description: 'Remove one of your stretch reminders',
              options: [{ type: 3, name: 'id', description: 'The reminder id (see /stretch remind list)', required: true, max_length: 64 }],
            },
          ],
        },
        { type: 2, name: 'schedule', description: 'Stretch break prompts for this channel (admins)', options: scheduleSubcommands() },
      ],
    });
    // Discord sets default_member_permissions per command: /stretch stays visible to everyone...
    expect(stretch).not.toHaveProperty('default_member_permissions');
    // ...and the Manage Server-only twin of the schedule group is hidden from other members.
    expect(schedule).toEqual({
      type: 1,
      name: 'stretch-schedule',
      description: 'Stretch break prompts for this channel (admins)',
      default_member_permissions: String(1n << 5n),
      contexts: [0],
      integration_types: [0],
      options: scheduleSubcommands(),
    });
    expect(result.registered.map((c) => c.name)).toEqual(['stretch', 'stretch-schedule']);
    expect(emu.commands.global.map((c) => c.name)).toEqual(['stretch', 'stretch-schedule']);
    expect(emu.rejections).toEqual([]);
  });

  it('registers to one server (DISCORD_GUILD_ID) without the global-only fields', async () => {
    const result = await registerCommands({ token: emu.token, applicationId: emu.applicationId, guildId: emu.guildId, apiUrl: emu.apiUrl, catalogue });
    expect(result.scope).toBe('guild');
    const put = emu.requests.filter((r) => r.method === 'PUT').at(-1)!;
    expect(put.path).toBe(`/applications/${emu.applicationId}/guilds/${emu.guildId}/commands`);
    for (const c of put.body) {
      expect(c).not.toHaveProperty('contexts');
      expect(c).not.toHaveProperty('integration_types');
    }
    expect(emu.commands.guild.get(emu.guildId)!.map((c) => c.name)).toEqual(['stretch', 'stretch-schedule']);
    expect(emu.rejections).toEqual([]);
  });

  it('fails with Discord\'s 401 for a wrong token', async () => {
    const err = await registerCommands({ token: 'not-the-token', applicationId: emu.applicationId, apiUrl: emu.apiUrl, catalogue }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).status).toBe(401);
    emu.rejections.length = 0;
  });

  it('`npm run discord:register` runs the script against DISCORD_API_URL and says what it registered', async () => {
    const env = { DISCORD_TOKEN: emu.token, DISCORD_APPLICATION_ID: emu.applicationId, DISCORD_GUILD_ID: emu.guildId, DISCORD_API_URL: emu.apiUrl, CONTENT_DIR };
    const before = emu.requests.filter((r) => r.method === 'PUT').length;
    const out = await run('src/adapters/discord/register.ts', env);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`Registered /stretch, /stretch-schedule in server ${emu.guildId}`);
    expect(emu.requests.filter((r) => r.method === 'PUT')).toHaveLength(before + 1);
    expect(out.stdout + out.stderr).not.toContain(emu.token);
  });

  it('the script names the missing variables instead of failing obscurely', async () => {
    const out = await run('src/adapters/discord/register.ts', { CONTENT_DIR });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('DISCORD_TOKEN and DISCORD_APPLICATION_ID are required');
  });
});
