/**
 * Prometheus metrics, one set per app. Each app gets its own Registry rather than
 * prom-client's global one, so two apps in one process (tests, a worker beside a bot)
 * never collide over metric names.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../logger.js';
import type { HttpHandler } from './server.js';

export type InteractionKind = 'command' | 'action' | 'view' | 'event';
export type InteractionOutcome = 'ok' | 'failed';
export type FireStatus = 'queued' | 'missed';

export interface MetricsOptions {
  /** Outbox rows per status, read at each scrape (a cheap grouped count). */
  outboxCounts?: () => Promise<Record<string, number>>;
  logger: Logger;
  /**
   * Also export prom-client's process metrics (CPU, memory, event-loop lag, GC). They start
   * observers that live as long as the process, so only an app that serves /metrics wants them.
   */
  processMetrics?: boolean;
}

export interface Metrics {
  registry: Registry;
  /** One handled slash command, button click, modal submission, … */
  interaction(platform: string, kind: InteractionKind, outcome: InteractionOutcome): void;
  /** Time from receiving an interaction to acknowledging it (the platforms allow 3 s). */
  ackLatency(platform: string, seconds: number): void;
  /** A scheduled prompt recorded as queued (will be posted) or missed (too late to post). */
  fire(status: FireStatus): void;
  /** GET /metrics in the Prometheus text format. */
  handler: HttpHandler;
}

export function createMetrics({ outboxCounts, logger, processMetrics = true }: MetricsOptions): Metrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });

  const interactions = new Counter({
    name: 'stretch_interactions_total',
    help: 'Interactions handled, by platform, kind and outcome.',
    labelNames: ['platform', 'kind', 'outcome'] as const,
    registers: [registry],
  });
  const ack = new Histogram({
    name: 'stretch_ack_latency_seconds',
    help: 'Seconds from receiving an interaction to acknowledging it; platforms give up at 3.',
    labelNames: ['platform'] as const,
    // Dense near the 3 s deadline, where it matters whether an ack was in time.
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3],
    registers: [registry],
  });
  const fires = new Counter({
    name: 'stretch_fires_total',
    help: 'Scheduled prompts recorded, by status (queued to post, or missed).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'stretch_outbox_rows',
    help: 'Outbox rows by status, counted at scrape time.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      // Statuses that no longer have rows must not keep their last value.
      this.reset();
      if (!outboxCounts) return;
      try {
        for (const [status, count] of Object.entries(await outboxCounts())) this.set({ status }, count);
      } catch (err) {
        // A failing count must not take the other metrics down with it.
        logger.warn({ err }, 'could not count outbox rows for /metrics');
      }
    },
  });

  return {
    registry,
    interaction: (platform, kind, outcome) => interactions.inc({ platform, kind, outcome }),
    ackLatency: (platform, seconds) => ack.observe({ platform }, seconds),
    fire: (status) => fires.inc({ status }),
    handler: async (_req, res) => {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(body);
    },
  };
}
