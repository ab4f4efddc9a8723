/** Every platform driver, for `describe.each(DRIVERS)`. */
import { DiscordDriver } from './discord.js';
import type { DriverOptions, PlatformDriver } from './driver.js';
import { SlackDriver } from './slack.js';

export const DRIVERS: { name: string; make: (opts?: DriverOptions) => PlatformDriver }[] = [
  { name: 'Slack', make: (opts) => new SlackDriver(opts) },
  { name: 'Discord', make: (opts) => new DiscordDriver(opts) },
];

export * from './driver.js';
