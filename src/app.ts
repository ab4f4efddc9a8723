/**
 * The composition root: config → storage (SQLite or PostgreSQL, migrated) → content →
 * core → adapters → scheduler. The entry point (index.ts) and the end-to-end tests both build the bot here,
 * so what is tested is what runs.
 */
import type { Config } from './config.js';
import { loadCatalogue } from './content/loader.js';
import type { Catalogue } from './core/catalogue.js';
import { createCoach, type Coach } from './core/coach.js';
import type { Platform } from './core/incoming.js';
import type { Notifier, PlatformAdapter } from './core/notifier.js';
import { systemClock, type Clock } from './core/ports.js';
import { randomId } from './core/start-session.js';
import type { Logger } from './logger.js';
import { newClaimant } from './scheduler/claimant.js';
import { healthHandler } from './http/health.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { IMAGES_PREFIX, imagesHandler } from './http/images.js';
import type { TerminalPictureSource } from './adapters/terminal/deliver.js';
import { createChartStore } from './pictures/chart-store.js';
import { createPictureStore, type PictureStore } from './pictures/store.js';
import { createFiring } from './scheduler/firing.js';
import { createOutboxWorker } from './scheduler/outbox-worker.js';
import { createScheduler } from './scheduler/scheduler.js';
import { createIdleGroups, type IdleGroups } from './scheduler/idle-groups.js';
import { createHoldTimers, type HoldTimers } from './scheduler/timers.js';
import { openStorage, type Storage } from './storage/open.js';

export interface AppOptions {
  clock?: Clock;
  /** Tests drive the scheduler by hand with a fake clock instead of real timers. */
  timers?: boolean;
  /** Adapters built elsewhere (tests use a recording one), added to the configured ones. */
  adapters?: PlatformAdapter[];
}

export interface App {
  config: Config;
  storage: Storage;
  catalogue: Catalogue;
  coach: Coach;
  adapters: PlatformAdapter[];
  firing: ReturnType<typeof createFiring>;
  outbox: ReturnType<typeof createOutboxWorker>;
  scheduler: ReturnType<typeof createScheduler>;
  holdTimers: HoldTimers;
  idleGroups: IdleGroups;
  /** Platform → notifier; the terminal coach adds its own (src/index.ts). */
  notifiers: Map<Platform, Notifier>;
  /** The one HTTP server, when PORT is set; platforms mount their endpoints on it. */
  http?: HttpServer;
  /** Exercise pictures, drawn (or found in PICTURES_DIR) while the app was built. */
  pictures: PictureStore;
  /** Exercise pictures and habit charts, as the adapters look them up. */
  pictureSource: TerminalPictureSource;
  metrics: Metrics;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const catalogue = loadCatalogue(config.contentDir);
  for (const warning of catalogue.warnings) logger.warn({ warning }, `content: ${warning}`);
  // Drawn once per content version and kept on disk, so with a warm cache this only checks that
  // the files exist; every adapter then finds a picture's file without any work per message.
  const pictures = createPictureStore({ catalogue, cacheDir: config.picturesDir, logger });
  await pictures.warm();
  // Habit charts are drawn per week of numbers; chat platforms render replies synchronously,
  // so they get the raster step loaded up front (the terminal draws its chart art on its own).
  const charts = createChartStore(config.picturesDir);
  if (config.slack || config.discord) await charts.load();
  const pictureSource: TerminalPictureSource = { get: pictures.get, terminalArt: pictures.terminalArt, chart: charts.chart, chartArt: charts.art };
  const storage = await openStorage(config, logger);
  const { users, schedules, delivery } = storage;
  // Filled once the adapters exist; the coach only asks it when someone opts in.
  const notifiers = new Map<Platform, Notifier>();
  const timers = options.timers ?? true;
  // The coach arms hold timers through this; the service needs the notifiers built below.
  let holdTimers: HoldTimers | undefined;
  const coach = createCoach({
    directMessages: {
      async prepare(key) {
        await notifiers
          .get(key.platform)
          ?.openDm?.(key.workspaceId, key.userId)
          .catch((err: unknown) => logger.warn({ err, platform: key.platform }, 'could not open the DM channel at opt-in; the first DM will try again'));
      },
    },
    catalogue,
    clock,
    users,
    sessions: storage.sessions,
    groups: storage.groups,
    habits: storage.habits,
    schedules,
    delivery,
    defaultTimezone: config.defaultTimezone,
    newId: randomId,
    holdTimers: { arm: (ref, endsAt) => holdTimers?.arm(ref, endsAt) },
    messages: {
      async edit(platform, workspaceId, messageRef, card) {
        await notifiers.get(platform)?.edit?.(workspaceId, messageRef, card).catch((err: unknown) => {
          // Never the message ref: it can hold an interaction token or a response_url.
          logger.warn({ err, platform }, 'could not edit a message');
        });
      },
    },
  });

  // HTTP: /healthz (the database answers) and /metrics.
  const metrics = createMetrics({ logger, outboxCounts: storage.outboxCounts, processMetrics: config.port !== undefined });
  const http = config.port === undefined ? undefined : createHttpServer({ port: config.port, logger });
  http?.route('GET', '/healthz', healthHandler({ ping: storage.ping, logger }));
  http?.route('GET', '/metrics', metrics.handler);
  const exerciseFiles = servableFiles(catalogue, pictures);
  http?.route('GET', IMAGES_PREFIX, imagesHandler({ get: (file) => exerciseFiles.get(file) ?? charts.path(file) }));

  const observe = { handled: metrics.interaction, acknowledged: metrics.ackLatency };

  // Platform libraries load only when their platform is configured: the terminal coach starts fast.
  const adapters: PlatformAdapter[] = [...(options.adapters ?? [])];
  if (config.slack) {
    const { createSlackAdapter } = await import('./adapters/slack/transport.js');
    adapters.push(
      createSlackAdapter({
        config: config.slack,
        coach,
        http,
        observe,
        pictures: pictureSource,
        publicUrl: config.publicUrl,
        installations: storage.slackInstallations,
        dmChannels: storage.dmChannels,
        statuses: users,
        now: clock.now,
        logger: logger.child({ platform: 'slack' }),
      }),
    );
  }
  if (config.discord) {
    const { createDiscordAdapter } = await import('./adapters/discord/transport.js');
    adapters.push(createDiscordAdapter({ config: config.discord, coach, catalogue, observe, http, pictures: pictureSource, dmChannels: storage.dmChannels, logger: logger.child({ platform: 'discord' }) }));
  }
  for (const a of adapters) notifiers.set(a.name, a.notifier);
  holdTimers = createHoldTimers({ sessions: storage.sessions, groups: storage.groups, catalogue, clock, notifiers, logger, useTimers: timers });

  const firing = createFiring({ schedules, delivery, outbox: delivery, clock, catchUpMs: config.catchUpMinutes * 60_000, logger, newId: randomId, onFire: metrics.fire });
  const outbox = createOutboxWorker({
    outbox: delivery,
    delivery,
    users,
    habits: storage.habits,
    catalogue,
    notifiers,
    clock,
    logger,
    defaultTimezone: config.defaultTimezone,
    claimant: newClaimant(),
    leaseMs: config.outboxLeaseMs,
  });
  const idleGroups = createIdleGroups({ groups: storage.groups, users, defaultTimezone: config.defaultTimezone, catalogue, clock, notifiers, logger });
  const scheduler = createScheduler({ firing, worker: outbox, holdTimers, idleGroups, logger });


  return {
    config,
    storage,
    catalogue,
    coach,
    adapters,
    firing,
    outbox,
    scheduler,
    holdTimers,
    idleGroups,
    notifiers,
    http,
    pictures,
    pictureSource,
    metrics,
    async start() {
      // Listen first, so platform endpoints mounted on it can answer once adapters are up.
      if (http) logger.info({ port: await http.listen() }, 'HTTP server listening');
      for (const a of adapters) await a.start();
      await holdTimers!.start();
      if (timers && adapters.length) await scheduler.start();
    },
    async stop() {
      await http?.close().catch((err: unknown) => logger.error({ err }, 'error while closing the HTTP server'));
      holdTimers!.stop();
      if (timers && adapters.length) await scheduler.stop();
      for (const a of [...adapters].reverse()) {
        await a.stop().catch((err: unknown) => logger.error({ err, platform: a.name }, 'error while stopping'));
      }
      await storage.close();
    },
  };
}

/** The picture files /images/ may serve, by file name: every still and animation of the content. */
function servableFiles(catalogue: Catalogue, pictures: PictureStore): Map<string, string> {
  const files = new Map<string, string>();
  for (const id of catalogue.exercises.keys()) {
    const p = pictures.get(id);
    if (p) files.set(p.gifFile, p.gifPath).set(p.pngFile, p.pngPath);
  }
  return files;
}
