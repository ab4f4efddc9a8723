/** The one path every command takes: find it in the table, check where and who, run it. */
import type { Reply } from '../card.js';
import type { CoreDeps } from '../deps.js';
import { DEFAULT_CAPABILITIES, type IncomingCommand } from '../incoming.js';
import { info, warn } from '../replies.js';
import type { CommandSpec } from './spec.js';
import { BARE_COMMAND, findCommand } from './table.js';

const NEEDS_MESSAGING = info(
  'Not available here',
  'Schedules, opt-ins, reminders and group prompts post to channels and direct messages, which this conversation cannot receive. Routines work here: try /stretch start.',
);

async function isAdmin(cmd: IncomingCommand): Promise<boolean> {
  if (!cmd.profile) return false;
  return (await cmd.profile()).isAdmin;
}

/** Why this person may not run this command here, or undefined when they may. */
async function refusal(spec: CommandSpec, cmd: IncomingCommand): Promise<Reply[] | undefined> {
  const caps = cmd.caps ?? DEFAULT_CAPABILITIES;
  if (spec.where === 'chat' && !caps.messaging) return NEEDS_MESSAGING;
  if (spec.access === 'admins' && !(await isAdmin(cmd))) {
    return warn('Admins only', `Only ${caps.admins} can use /stretch ${spec.path}. Nothing was changed.`);
  }
  return undefined;
}

export async function runCommand(cmd: IncomingCommand, deps: CoreDeps): Promise<Reply[]> {
  const { name, unknown } = cmd.command;
  const spec = findCommand(name || BARE_COMMAND) ?? findCommand('help')!;
  // An unknown name reaches help, which names the word it did not know.
  const withUnknown = spec.path === 'help' && !unknown && name !== 'help' ? { ...cmd, command: { ...cmd.command, unknown: name } } : cmd;
  return (await refusal(spec, withUnknown)) ?? spec.run(withUnknown, deps);
}
