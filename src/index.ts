/**
 * Entry point: reads .env and the environment, builds the app (app.ts), runs it until
 * SIGINT/SIGTERM. With no platform credentials it runs the terminal coach, so `npm start`
 * always does something useful.
 */
import { config as loadDotenv } from 'dotenv';
import { createApp, type App } from './app.js';
import { loadConfig, ConfigError } from './config.js';
import { ContentError } from './content/loader.js';
import { createTerminalCoach } from './adapters/terminal/transport.js';
import { createLogger, scrubSecrets } from './logger.js';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  const terminalOnly = !config.slack && !config.discord;
  // The terminal coach shares the screen with logs; keep them to warnings unless asked.
  const logger = createLogger(config.logLevel ?? (terminalOnly ? 'warn' : 'info'));
  const app: App = await createApp(config, logger);

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    try {
      await app.stop();
    } catch (err) {
      logger.error({ err }, 'error while stopping');
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // A stray rejection inside a client library must not take every team's bot down; log it.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  if (terminalOnly) {
    const terminal = createTerminalCoach({ coach: app.coach, logger, pictures: app.pictures });
    app.notifiers.set('terminal', terminal.notifier);
    await app.holdTimers.start();
    await terminal.run();
    await shutdown('end of input');
    return;
  }
  await app.start();
  logger.info({ platforms: app.adapters.map((a) => a.name) }, 'stretch coach is running');
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof ContentError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Start-up failed: ${scrubSecrets(err instanceof Error ? err.message : String(err))}\n`);
  }
  process.exit(1);
});
