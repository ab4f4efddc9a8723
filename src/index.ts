/**
 * The composition root: config → database + migrations → content → core → adapters.
 * With no platform credentials it runs the terminal coach, so `npm start` always does something.
 */
import { config as loadDotenv } from 'dotenv';
import { loadConfig, ConfigError, type Config } from './config.js';
import { ContentError, loadCatalogue } from './content/loader.js';
import { createCoach } from './core/coach.js';
import { systemClock } from './core/ports.js';
import { createLogger, scrubSecrets } from './logger.js';
import { openDatabase } from './storage/database.js';
import { createSessionRepo } from './storage/sessions-repo.js';
import { createUserRepo } from './storage/users-repo.js';
import { createTerminalCoach } from './adapters/terminal/transport.js';

interface Running {
  name: string;
  stop(): Promise<void> | void;
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    return fail(err);
  }
  const terminalOnly = !config.slack && !config.discord;
  // The terminal coach shares the screen with logs; keep them to warnings unless asked.
  const logger = createLogger(config.logLevel ?? (terminalOnly ? 'warn' : 'info'));

  let catalogue;
  try {
    catalogue = loadCatalogue(config.contentDir);
  } catch (err) {
    return fail(err);
  }
  const db = openDatabase(config.databasePath);
  const coach = createCoach({
    catalogue,
    users: createUserRepo(db),
    sessions: createSessionRepo(db),
    clock: systemClock,
  });

  const running: Running[] = [];
  let stopping = false;
  const shutdown = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    for (const r of running.reverse()) {
      try {
        await r.stop();
      } catch (err) {
        logger.error({ err, component: r.name }, 'error while stopping');
      }
    }
    db.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  if (terminalOnly) {
    const terminal = createTerminalCoach({ coach, logger });
    running.push({ name: 'terminal', stop: () => terminal.stop() });
    await terminal.run();
    await shutdown('end of input');
    return;
  }
  logger.info({ slack: Boolean(config.slack), discord: Boolean(config.discord) }, 'stretch coach started');
}

function fail(err: unknown): void {
  if (err instanceof ConfigError || err instanceof ContentError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Start-up failed: ${scrubSecrets(err instanceof Error ? err.message : String(err))}\n`);
  }
  process.exitCode = 1;
}

main().catch((err) => {
  fail(err);
  process.exit(1);
});
