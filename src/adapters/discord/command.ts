/**
 * The `/stretch` slash command for Discord, derived from the core's command table: the
 * definitions `npm run discord:register` sends, and the mapping from an invoked command's
 * typed options back to the core's ParsedCommand. Nothing here lists a command by hand.
 *
 * Permissions: Discord's `default_member_permissions` applies to a whole top-level command,
 * never to one subcommand. A group with admin-only commands is therefore also registered as
 * its own command (`/stretch-schedule`), which Discord hides from members without Manage
 * Server by default. The core's admin gate decides either way.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Catalogue, Routine } from '../../core/catalogue.js';
import type { CommandSpec, GroupSpec, OptionSpec } from '../../core/commands/spec.js';
import { commandsIn, GROUPS, leafName } from '../../core/commands/table.js';
import { clip } from '../shared/text.js';

export const COMMAND_NAME = 'stretch';

/** Discord's limits for command definitions. */
export const OPTION_CHOICES_MAX = 25;
export const CHOICE_NAME_MAX = 100;
/** Names, descriptions and choice names/values of a command and everything under it, summed. */
export const COMMAND_COMBINED_MAX = 4000;

/** Who may manage admin-only commands on Discord (Administrator implies every permission). */
export const ADMIN_PERMISSIONS = PermissionFlagsBits.ManageGuild;
export const DISCORD_ADMINS = 'members with the Manage Server permission';

const hasAdminCommands = (group: GroupSpec) => commandsIn(group.name).some((c) => c.access === 'admins');

/** `/stretch-schedule`: the stand-alone twin of a group with admin-only commands. */
export const twinName = (group: GroupSpec) => `${COMMAND_NAME}-${group.name}`;

export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;

function routineChoices(routines: readonly Routine[]): APIApplicationCommandOptionChoice<string>[] {
  return routines.map((r) => ({ name: clip(`${r.name} (${r.id})`, CHOICE_NAME_MAX), value: r.id }));
}

function buildOption(spec: OptionSpec, routines: readonly Routine[], useAutocomplete: boolean): APIApplicationCommandBasicOption {
  const base = { type: ApplicationCommandOptionType.String as const, name: spec.name, description: spec.description, required: spec.required ?? false };
  if (spec.kind === 'routine') {
    return useAutocomplete ? { ...base, autocomplete: true } : { ...base, choices: routineChoices(routines) };
  }
  return { ...base, ...(spec.maxLength ? { max_length: spec.maxLength } : {}) };
}

function buildSubcommands(specs: readonly CommandSpec[], routines: readonly Routine[], useAutocomplete: boolean): APIApplicationCommandSubcommandOption[] {
  return specs.map((spec) => ({
    type: ApplicationCommandOptionType.Subcommand,
    name: leafName(spec),
    description: spec.description,
    ...(spec.options.length ? { options: spec.options.map((o) => buildOption(o, routines, useAutocomplete)) } : {}),
  }));
}

function buildStretch(routines: readonly Routine[], useAutocomplete: boolean): CommandDefinition {
  const groups: APIApplicationCommandSubcommandGroupOption[] = GROUPS.map((g) => ({
    type: ApplicationCommandOptionType.SubcommandGroup,
    name: g.name,
    description: g.description,
    options: buildSubcommands(commandsIn(g.name), routines, useAutocomplete),
  }));
  return {
    type: ApplicationCommandType.ChatInput,
    name: COMMAND_NAME,
    description: 'Guided stretch breaks: pick a routine and follow it step by step',
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [...buildSubcommands(commandsIn(), routines, useAutocomplete), ...groups],
  };
}

function buildTwin(group: GroupSpec, routines: readonly Routine[], useAutocomplete: boolean): CommandDefinition {
  return {
    type: ApplicationCommandType.ChatInput,
    name: twinName(group),
    description: group.description,
    // Hidden from members without Manage Server unless a server admin allows them.
    default_member_permissions: String(ADMIN_PERMISSIONS),
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: buildSubcommands(commandsIn(group.name), routines, useAutocomplete),
  };
}

/** What Discord counts towards COMMAND_COMBINED_MAX. */
export function combinedLength(def: CommandDefinition): number {
  type Countable = { name: string; description?: string; options?: readonly unknown[]; choices?: readonly { name: string; value: string | number }[] };
  const count = (o: Countable): number =>
    o.name.length +
    (o.description?.length ?? 0) +
    (o.choices ?? []).reduce((sum, c) => sum + c.name.length + String(c.value).length, 0) +
    ((o.options ?? []) as Countable[]).reduce((sum, child) => sum + count(child), 0);
  return count(def as Countable);
}

/**
 * The command definitions to register. Routine options list the routines as choices while
 * they fit (25 choices, 4000 characters per command); beyond that they switch to autocomplete.
 */
export function buildCommands(catalogue: Pick<Catalogue, 'routines'>): CommandDefinition[] {
  const { routines } = catalogue;
  let autocomplete = routines.length > OPTION_CHOICES_MAX;
  let stretch = buildStretch(routines, autocomplete);
  if (!autocomplete && combinedLength(stretch) > COMMAND_COMBINED_MAX) {
    autocomplete = true;
    stretch = buildStretch(routines, autocomplete);
  }
  return [stretch, ...GROUPS.filter(hasAdminCommands).map((g) => buildTwin(g, routines, autocomplete))];
}

/** Guild commands take neither `contexts` nor `integration_types`. */
export function toGuildCommand(def: CommandDefinition): CommandDefinition {
  const { contexts: _contexts, integration_types: _types, ...rest } = def;
  return rest;
}

/** Whether a member's permission bitfield makes them an admin here. */
export function isDiscordAdmin(permissions: bigint | null | undefined): boolean {
  if (permissions === null || permissions === undefined) return false;
  const has = (bit: bigint) => (permissions & bit) === bit;
  return has(ADMIN_PERMISSIONS) || has(PermissionFlagsBits.Administrator);
}

/** Autocomplete answers for a routine option: id or name containing what was typed. */
export function routineSuggestions(routines: readonly Routine[], typed: string): APIApplicationCommandOptionChoice<string>[] {
  const q = typed.trim().toLowerCase();
  return routineChoices(routines.filter((r) => !q || r.id.includes(q) || r.name.toLowerCase().includes(q))).slice(0, OPTION_CHOICES_MAX);
}
