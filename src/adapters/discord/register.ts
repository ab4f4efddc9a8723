/**
 * `npm run discord:register`: registers the slash commands with Discord. Never run at
 * start-up (registration is rate-limited and global changes take a while to reach clients).
 * With DISCORD_GUILD_ID set it registers to that server only, which updates instantly.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { config as loadDotenv } from 'dotenv';
import { REST, Routes } from 'discord.js';
import { ConfigError, loadConfig } from '../../config.js';
import { ContentError, loadCatalogue } from '../../content/loader.js';
import type { Catalogue } from '../../core/catalogue.js';
import { scrubSecrets } from '../../logger.js';
import { buildCommands, toGuildCommand, type CommandDefinition } from './command.js';

export interface RegisterOptions {
  token: string;
  applicationId: string;
  guildId?: string;
  /** REST base, e.g. https://discord.com/api (the client appends /v10). */
  apiUrl?: string;
  catalogue: Pick<Catalogue, 'routines'>;
}

export interface RegisterResult {
  scope: 'global' | 'guild';
  commands: CommandDefinition[];
  /** What Discord answered: the registered commands with their ids. */
  registered: Array<{ id: string; name: string }>;
}

/** PUT replaces the whole set, so commands removed from the definition disappear too. */
export async function registerCommands(opts: RegisterOptions): Promise<RegisterResult> {
  const rest = new REST({ version: '10', ...(opts.apiUrl ? { api: opts.apiUrl } : {}) }).setToken(opts.token);
  const defs = buildCommands(opts.catalogue);
  const commands = opts.guildId ? defs.map(toGuildCommand) : defs;
  const route = opts.guildId ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId) : Routes.applicationCommands(opts.applicationId);
  const registered = (await rest.put(route, { body: commands })) as Array<{ id: string; name: string }>;
  return { scope: opts.guildId ? 'guild' : 'global', commands, registered };
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  if (!config.discord) {
    throw new ConfigError('Config error: DISCORD_TOKEN and DISCORD_APPLICATION_ID are required to register the slash commands. Set them in .env (see the Discord section of README.md).');
  }
  const catalogue = loadCatalogue(config.contentDir);
  const { token, applicationId, guildId, apiUrl } = config.discord;
  const result = await registerCommands({ token, applicationId, guildId, apiUrl, catalogue });
  const names = result.registered.map((c) => `/${c.name}`).join(', ');
  process.stdout.write(
    result.scope === 'guild'
      ? `Registered ${names} in server ${guildId}. They are usable there right away.\n`
      : `Registered ${names} globally. New or changed commands can take a few minutes to show up; set DISCORD_GUILD_ID for instant updates while developing.\n`,
  );
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((err: unknown) => {
    const message = err instanceof ConfigError || err instanceof ContentError ? err.message : `Registering the commands failed: ${scrubSecrets(err instanceof Error ? err.message : String(err))}`;
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  });
}
