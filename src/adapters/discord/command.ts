/**
 * The `/stretch` slash command: its definition (plain JSON for PUT /applications/:id/commands)
 * and the pure mapping from an invoked command's options to the core's ParsedCommand.
 * Both are driven by one table, so a subcommand cannot exist in one and not the other.
 *
 * Subcommands mirror the core's (core/commands.ts SUBCOMMANDS).
 *
 * Permissions: Discord's `default_member_permissions` applies to a whole top-level command,
 * never to one subcommand. So `/stretch schedule …` (visible to everyone, like the rest of
 * /stretch) is refused at run time for members without Manage Server, and the same three
 * subcommands are also registered as `/stretch-schedule`, which Discord hides from such members
 * by default (server admins can change that under Server Settings → Integrations).
 */
import type {
  APIApplicationCommandBasicOption,
  APIApplicationCommandOptionChoice,
  APIApplicationCommandSubcommandGroupOption,
  APIApplicationCommandSubcommandOption,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Catalogue, Routine } from '../../core/catalogue.js';
import type { ParsedCommand } from '../../core/incoming.js';

export const COMMAND_NAME = 'stretch';
export const SCHEDULE_COMMAND_NAME = 'stretch-schedule';

/** Discord's limits for command definitions. */
export const COMMAND_NAME_MAX = 32;
export const COMMAND_DESCRIPTION_MAX = 100;
export const COMMAND_OPTIONS_MAX = 25;
export const OPTION_CHOICES_MAX = 25;
export const CHOICE_NAME_MAX = 100;
export const CHOICE_VALUE_MAX = 100;
/** Names, descriptions and choice names/values of a command and everything under it, summed. */
export const COMMAND_COMBINED_MAX = 4000;

/** Permission bits (discord-api-types PermissionFlagsBits). */
export const PERMISSION = {
  Administrator: 1n << 3n,
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
} as const;

/** Option and command types (discord-api-types ApplicationCommandOptionType / ApplicationCommandType). */
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;
const STRING = 3;
const CHAT_INPUT = 1;
/** InteractionContextType: Guild 0, BotDM 1. ApplicationIntegrationType: GuildInstall 0. */
const CONTEXT_GUILD = 0;
const CONTEXT_BOT_DM = 1;
const GUILD_INSTALL = 0;

type OptionSpec =
  | { kind: 'routine'; name: 'routine'; description: string }
  | { kind: 'text'; name: string; description: string; required?: boolean; maxLength?: number };

interface SubcommandSpec {
  description: string;
  options?: OptionSpec[];
}

const routine = (description: string): OptionSpec => ({ kind: 'routine', name: 'routine', description });

/** `/stretch <name>`; the order is the order Discord lists them in. */
export const STRETCH_SUBCOMMANDS: Record<string, SubcommandSpec> = {
  start: { description: 'Start a guided stretch routine here, one step at a time', options: [routine('Which routine (leave empty to pick one)')] },
  dm: { description: 'Get a guided routine in your direct messages', options: [routine('Which routine (leave empty to pick one)')] },
  list: { description: 'Show the routines and their exercises' },
  help: { description: 'What the stretch coach can do' },
  optin: { description: "Get this channel's stretch break prompts by DM" },
  optout: { description: "Stop getting this channel's stretch break prompts by DM" },
  pause: {
    description: 'Pause all stretch DMs for a while',
    options: [{ kind: 'text', name: 'for', description: 'How long, e.g. 2h, 1d, today, tomorrow or 1w', required: true, maxLength: 32 }],
  },
  resume: { description: 'Resume stretch DMs after a pause' },
  stats: { description: 'Your stretch history' },
  group: { description: 'Invite this channel to stretch together', options: [routine('Which routine (default: desk)')] },
  settings: {
    description: 'Your time zone and working hours for prompts',
    options: [
      { kind: 'text', name: 'timezone', description: 'IANA time zone, e.g. Europe/Berlin or America/New_York', maxLength: 64 },
      { kind: 'text', name: 'hours', description: 'Working hours, e.g. 09:00-17:30, or off', maxLength: 32 },
    ],
  },
};

/** `/stretch schedule <name>` and `/stretch-schedule <name>`: Manage Server only. */
export const SCHEDULE_SUBCOMMANDS: Record<string, SubcommandSpec> = {
  add: {
    description: 'Add a stretch break prompt to this channel',
    options: [
      { kind: 'text', name: 'when', description: 'When to prompt, e.g. weekdays 10:30', required: true, maxLength: 100 },
      routine('Which routine to offer (default: desk)'),
      { kind: 'text', name: 'timezone', description: 'IANA time zone, e.g. Europe/Berlin (default: yours, else the bot default)', maxLength: 64 },
    ],
  },
  list: { description: "List this channel's stretch break prompts" },
  remove: {
    description: 'Remove a stretch break prompt',
    options: [{ kind: 'text', name: 'id', description: 'The schedule id (see /stretch schedule list)', required: true, maxLength: 64 }],
  },
  pause: {
    description: 'Pause a stretch break prompt',
    options: [{ kind: 'text', name: 'id', description: 'The schedule id (see /stretch schedule list)', required: true, maxLength: 64 }],
  },
  resume: {
    description: 'Resume a paused stretch break prompt',
    options: [{ kind: 'text', name: 'id', description: 'The schedule id (see /stretch schedule list)', required: true, maxLength: 64 }],
  },
};

/** `/stretch remind <name>`: personal reminders by DM. */
export const REMIND_SUBCOMMANDS: Record<string, SubcommandSpec> = {
  add: {
    description: 'Get a stretch reminder by DM',
    options: [
      { kind: 'text', name: 'when', description: 'When, e.g. weekdays 11:00', required: true, maxLength: 100 },
      routine('Which routine (default: desk)'),
      { kind: 'text', name: 'timezone', description: 'IANA time zone, e.g. Europe/Berlin (default: yours)', maxLength: 64 },
    ],
  },
  list: { description: 'List your stretch reminders' },
  remove: {
    description: 'Remove one of your stretch reminders',
    options: [{ kind: 'text', name: 'id', description: 'The reminder id (see /stretch remind list)', required: true, maxLength: 64 }],
  },
};

export const SCHEDULE_GROUP = 'schedule';
export const REMIND_GROUP = 'remind';

/** Subcommand groups of /stretch. */
const GROUPS: Record<string, { description: string; subcommands: Record<string, SubcommandSpec> }> = {
  [REMIND_GROUP]: { description: 'Your own stretch reminders by DM', subcommands: REMIND_SUBCOMMANDS },
  [SCHEDULE_GROUP]: { description: 'Stretch break prompts for this channel (Manage Server)', subcommands: SCHEDULE_SUBCOMMANDS },
};

export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;

function routineChoices(routines: readonly Routine[]): APIApplicationCommandOptionChoice<string>[] {
  return routines.map((r) => ({ name: clip(`${r.name} (${r.id})`, CHOICE_NAME_MAX), value: r.id }));
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function buildOption(spec: OptionSpec, routines: readonly Routine[], useAutocomplete: boolean): APIApplicationCommandBasicOption {
  switch (spec.kind) {
    case 'routine':
      return useAutocomplete
        ? { type: STRING, name: spec.name, description: spec.description, required: false, autocomplete: true }
        : { type: STRING, name: spec.name, description: spec.description, required: false, choices: routineChoices(routines) };
    case 'text':
      return {
        type: STRING,
        name: spec.name,
        description: spec.description,
        required: spec.required ?? false,
        ...(spec.maxLength ? { max_length: spec.maxLength } : {}),
      };
  }
}

function buildSubcommands(specs: Record<string, SubcommandSpec>, routines: readonly Routine[], useAutocomplete: boolean): APIApplicationCommandSubcommandOption[] {
  return Object.entries(specs).map(([name, spec]) => ({
    type: SUBCOMMAND,
    name,
    description: spec.description,
    ...(spec.options?.length ? { options: spec.options.map((o) => buildOption(o, routines, useAutocomplete)) } : {}),
  }));
}

function buildStretch(routines: readonly Routine[], useAutocomplete: boolean): CommandDefinition {
  const groups: APIApplicationCommandSubcommandGroupOption[] = Object.entries(GROUPS).map(([name, g]) => ({
    type: SUBCOMMAND_GROUP,
    name,
    description: g.description,
    options: buildSubcommands(g.subcommands, routines, useAutocomplete),
  }));
  return {
    type: CHAT_INPUT,
    name: COMMAND_NAME,
    description: 'Guided stretch breaks: pick a routine and follow it step by step',
    contexts: [CONTEXT_GUILD, CONTEXT_BOT_DM],
    integration_types: [GUILD_INSTALL],
    options: [...buildSubcommands(STRETCH_SUBCOMMANDS, routines, useAutocomplete), ...groups],
  };
}

function buildScheduleCommand(routines: readonly Routine[], useAutocomplete: boolean): CommandDefinition {
  return {
    type: CHAT_INPUT,
    name: SCHEDULE_COMMAND_NAME,
    description: 'Manage stretch break prompts for this channel',
    // Hidden from members without Manage Server unless a server admin allows them.
    default_member_permissions: String(PERMISSION.ManageGuild),
    contexts: [CONTEXT_GUILD],
    integration_types: [GUILD_INSTALL],
    options: buildSubcommands(SCHEDULE_SUBCOMMANDS, routines, useAutocomplete),
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
  return [stretch, buildScheduleCommand(routines, autocomplete)];
}

/** Guild commands take neither `contexts` nor `integration_types`. */
export function toGuildCommand(def: CommandDefinition): CommandDefinition {
  const { contexts: _contexts, integration_types: _types, ...rest } = def;
  return rest;
}

/** The shape of an invoked option: the API's JSON and discord.js's `interaction.options.data` both fit. */
export interface InvokedOption {
  name: string;
  type: number;
  value?: unknown;
  options?: readonly InvokedOption[];
}

function optionValues(spec: SubcommandSpec, given: readonly InvokedOption[] = []): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const o of spec.options ?? []) {
    const raw = given.find((g) => g.name === o.name)?.value;
    const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
    out[o.name] = text || undefined;
  }
  return out;
}

/**
 * Options of an invoked `/stretch` or `/stretch-schedule` → the core's ParsedCommand.
 * An interaction with no subcommand (Discord cannot send one for a command that has
 * subcommands, but a test or a future definition could) is the bare `/stretch`: the picker.
 */
export function interactionToCommand(commandName: string, options: readonly InvokedOption[] = []): ParsedCommand {
  const first = options[0];
  if (commandName === SCHEDULE_COMMAND_NAME) {
    if (!first || first.type !== SUBCOMMAND) return { name: `${SCHEDULE_GROUP} list`, options: {} };
    return groupCommand(SCHEDULE_GROUP, first);
  }
  if (commandName !== COMMAND_NAME) return { name: 'help', options: {}, unknown: `/${commandName}` };
  if (!first || (first.type !== SUBCOMMAND && first.type !== SUBCOMMAND_GROUP)) return { name: '', options: {} };
  if (first.type === SUBCOMMAND_GROUP) {
    const sub = first.options?.[0];
    if (!Object.hasOwn(GROUPS, first.name)) return { name: 'help', options: {}, unknown: first.name };
    if (!sub || sub.type !== SUBCOMMAND) return { name: `${first.name} list`, options: {} };
    return groupCommand(first.name, sub);
  }
  const spec = Object.hasOwn(STRETCH_SUBCOMMANDS, first.name) ? STRETCH_SUBCOMMANDS[first.name] : undefined;
  if (!spec) return { name: 'help', options: {}, unknown: first.name };
  return { name: first.name, options: optionValues(spec, first.options) };
}

function groupCommand(group: string, sub: InvokedOption): ParsedCommand {
  const specs = GROUPS[group]!.subcommands;
  const spec = Object.hasOwn(specs, sub.name) ? specs[sub.name] : undefined;
  if (!spec) return { name: 'help', options: {}, unknown: `${group} ${sub.name}` };
  return { name: `${group} ${sub.name}`, options: optionValues(spec, sub.options) };
}

/** Schedule commands need Manage Server (Administrator implies it). */
/** Schedule subcommands that change something (list is open to everyone, as on Slack). */
export function isScheduleCommand(cmd: ParsedCommand): boolean {
  return cmd.name.startsWith(`${SCHEDULE_GROUP} `) && cmd.name !== `${SCHEDULE_GROUP} list`;
}

/** Permission check on a member's permission bitfield (a decimal string from the API). */
export function canManageSchedules(permissions: bigint | null | undefined): boolean {
  if (permissions === null || permissions === undefined) return false;
  return (permissions & PERMISSION.ManageGuild) === PERMISSION.ManageGuild || (permissions & PERMISSION.Administrator) === PERMISSION.Administrator;
}

/** Autocomplete answers for a routine option: id or name containing what was typed. */
export function routineSuggestions(routines: readonly Routine[], typed: string): APIApplicationCommandOptionChoice<string>[] {
  const q = typed.trim().toLowerCase();
  return routineChoices(routines.filter((r) => !q || r.id.includes(q) || r.name.toLowerCase().includes(q))).slice(0, OPTION_CHOICES_MAX);
}
