/** Every platform driver, for `describe.each(DRIVERS)`. */
import { DiscordDriver } from './discord.js';
import type { PlatformDriver } from './driver.js';
import { SlackDriver } from './slack.js';

export const DRIVERS: { name: string; make: () => PlatformDriver }[] = [
  { name: 'Slack', make: () => new SlackDriver() },
  { name: 'Discord', make: () => new DiscordDriver() },
];

export * from './driver.js';
