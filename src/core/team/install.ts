/** Plugs schedules, opt-ins, reminders and break prompts into the coach. */
import type { Coach } from '../coach.js';
import { PLATFORM_ONLY, type Register, type TeamDeps } from './context.js';
import { registerPersonalCommands } from './personal-commands.js';
import { createPromptActions } from './prompt-actions.js';
import { registerScheduleCommands } from './schedule-commands.js';

export type { TeamDeps } from './context.js';

export function installTeamFeatures(coach: Coach, deps: TeamDeps): void {
  const register: Register = (name, handler, { chatOnly = false } = {}) =>
    coach.register(name, chatOnly ? (cmd) => (cmd.platform === 'terminal' ? PLATFORM_ONLY : handler(cmd)) : handler);
  registerScheduleCommands(deps, register);
  registerPersonalCommands(deps, register);
  const prompts = createPromptActions(deps, coach);
  coach.onPromptAction(prompts.onPromptAction);
  register('group', prompts.group, { chatOnly: true });
}
