/** Plugs schedules, opt-ins, reminders and break prompts into the coach. */
import type { Coach } from '../coach.js';
import type { TeamDeps } from './context.js';
import { registerPersonalCommands } from './personal-commands.js';
import { createPromptActions } from './prompt-actions.js';
import { registerScheduleCommands } from './schedule-commands.js';

export type { TeamDeps } from './context.js';

export function installTeamFeatures(coach: Coach, deps: TeamDeps): void {
  const register = coach.register.bind(coach);
  registerScheduleCommands(deps, register);
  registerPersonalCommands(deps, register);
  const prompts = createPromptActions(deps, coach);
  coach.onPromptAction(prompts.onPromptAction);
  register('group', prompts.group);
}
