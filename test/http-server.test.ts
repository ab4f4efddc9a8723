import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { healthHandler } from '../src/http/health.js';
import { createMetrics } from '../src/http/metrics.js';
import { createHttpServer, type HttpServer } from '../src/http/server.js';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { CONTENT_DIR, createTestCoach, TEST_PICTURES_DIR } from './support/coach.js';

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

const open: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function serve(setup: (s: HttpServer) => void, logger = createLogger('silent')) {
  const s = createHttpServer({ port: 0, host: '127.0.0.1', logger });
  setup(s);
  open.push(s);
  const port = await s.listen();
  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
    return { status: res.status, body: await res.text(), headers: res.headers };
  };
  return { server: s, port, get };
}

const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;

describe('HTTP server', () => {
  it('routes exact paths and prefixes, longest first, and answers 404 and 405', async () => {
    const { get } = await serve((s) => {
      s.route('GET', '/hello', (_req, res) => void res.end('hello'));
      s.route('GET', '/images/', (req, res) => void res.end(`image ${req.url}`));
      s.route('GET', '/images/special/', (_req, res) => void res.end('special'));
      s.route('*', '/any', (req, res) => void res.end(`any ${req.method}`));
    });
    expect(await get('/hello?x=1')).toMatchObject({ status: 200, body: 'hello' });
    expect(await get('/images/abc.gif')).toMatchObject({ status: 200, body: 'image /images/abc.gif' });
    expect(await get('/images/special/x')).toMatchObject({ status: 200, body: 'special' });
    expect(await get('/any', { method: 'POST' })).toMatchObject({ status: 200, body: 'any POST' });
    expect(await get('/hello', { method: 'HEAD' })).toMatchObject({ status: 200, body: '' });
    expect(await get('/hello/more')).toMatchObject({ status: 404, body: 'Not Found' });
    expect(await get('/images')).toMatchObject({ status: 404 });
    const wrongMethod = await get('/hello', { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('answers 500 when a handler throws, and logs the path without the query string', async () => {
    const { logger, lines } = recordingLogger();
    const { get } = await serve((s) => {
      s.route('GET', '/sync', () => {
        throw new Error('boom');
      });
      s.route('POST', '/async', async () => {
        throw new Error('async boom');
      });
    }, logger);
    expect(await get('/sync?code=secret-oauth-code')).toMatchObject({ status: 500, body: 'Internal Server Error' });
    expect(await get('/async', { method: 'POST' })).toMatchObject({ status: 500 });
    const log = lines.join('');
    expect(log).toContain('"path":"/sync"');
    expect(log).toContain('boom');
    expect(log).not.toContain('secret-oauth-code');
  });

  it('close() ends connections still waiting for an answer and leaves no open handle', async () => {
    const before = tcpHandles();
    const s = createHttpServer({ port: 0, host: '127.0.0.1', logger: createLogger('silent') });
    let arrived!: () => void;
    const requestArrived = new Promise<void>((r) => (arrived = r));
    s.route('GET', '/hang', () => arrived()); // never answers
    const port = await s.listen();
    expect(port).toBeGreaterThan(0);
    const req = request({ host: '127.0.0.1', port, path: '/hang', agent: false });
    const ended = new Promise<string>((resolve) => req.on('error', (e) => resolve(e.message)));
    req.end();
    await requestArrived;
    const started = Date.now();
    await s.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await ended).toMatch(/socket hang up|ECONNRESET/);
    expect(s.server.listening).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(tcpHandles()).toBeLessThanOrEqual(before);
    await s.close(); // twice is harmless
  });

  it('rejects listen() when the port is taken', async () => {
    const { port } = await serve(() => {});
    const second = createHttpServer({ port, host: '127.0.0.1', logger: createLogger('silent') });
    await expect(second.listen()).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('/healthz', () => {
  const withPing = (ping: () => Promise<void>, timeoutMs = 2000) =>
    serve((s) => s.route('GET', '/healthz', healthHandler({ ping, logger: createLogger('silent'), timeoutMs })));

  it('is 200 ok when the ping succeeds', async () => {
    const { get } = await withPing(async () => {});
    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok' });
  });

  it('is 503 with a short reason, and no driver detail, when the ping fails', async () => {
    const { get } = await withPing(async () => {
      throw new Error('connect ECONNREFUSED db.internal:5432 user stretch');
    });
    const res = await get('/healthz');
    expect(res).toMatchObject({ status: 503, body: 'unavailable: database ping failed' });
  });

  it('is 503 when the ping hangs past the timeout', async () => {
    const { get } = await withPing(() => new Promise(() => {}), 50);
    expect(await get('/healthz')).toMatchObject({ status: 503, body: 'unavailable: database did not answer within 50 ms' });
  });
});

describe('/metrics', () => {
  it('serves the recorded values, the outbox gauge and process metrics in Prometheus text', async () => {
    let counts: Record<string, number> = { pending: 3, sent: 7 };
    const metrics = createMetrics({ logger: createLogger('silent'), outboxCounts: async () => counts });
    metrics.interaction('slack', 'command', 'ok');
    metrics.interaction('discord', 'action', 'failed');
    metrics.ackLatency('slack', 0.12);
    metrics.fire('queued');
    metrics.fire('missed');
    const { get } = await serve((s) => s.route('GET', '/metrics', metrics.handler));

    const first = await get('/metrics');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(first.body).toContain('stretch_interactions_total{platform="slack",kind="command",outcome="ok"} 1');
    expect(first.body).toContain('stretch_interactions_total{platform="discord",kind="action",outcome="failed"} 1');
    expect(first.body).toContain('stretch_ack_latency_seconds_bucket{le="0.25",platform="slack"} 1');
    expect(first.body).toContain('stretch_ack_latency_seconds_bucket{le="0.1",platform="slack"} 0');
    expect(first.body).toContain('stretch_fires_total{status="missed"} 1');
    expect(first.body).toContain('stretch_outbox_rows{status="pending"} 3');
    expect(first.body).toContain('process_cpu_user_seconds_total');

    // Counted afresh at each scrape: a status with no rows left disappears.
    counts = { sent: 10 };
    const second = await get('/metrics');
    expect(second.body).toContain('stretch_outbox_rows{status="sent"} 10');
    expect(second.body).not.toContain('stretch_outbox_rows{status="pending"}');
  });

  it('keeps serving when the outbox count fails', async () => {
    const metrics = createMetrics({
      logger: createLogger('silent'),
      outboxCounts: async () => {
        throw new Error('database gone');
      },
    });
    const { get } = await serve((s) => s.route('GET', '/metrics', metrics.handler));
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toContain('# TYPE stretch_outbox_rows gauge');
  });

  it('gives each app its own registry, so two in one process neither collide nor share counts', async () => {
    const a = createMetrics({ logger: createLogger('silent') });
    const b = createMetrics({ logger: createLogger('silent') });
    a.fire('queued');
    expect(await a.registry.metrics()).toContain('stretch_fires_total{status="queued"} 1');
    expect(await b.registry.metrics()).not.toContain('stretch_fires_total{status="queued"}');
  });
});

describe('the app with PORT set', () => {
  it('serves /healthz from its database and /metrics, and closes the server on stop()', async () => {
    const { logger, lines } = recordingLogger();
    const config = loadConfig({ DATABASE_PATH: ':memory:', CONTENT_DIR, PICTURES_DIR: TEST_PICTURES_DIR, PORT: '0' });
    const app = await createApp(config, logger, { timers: false });
    await app.start();
    const { port } = app.http!.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    try {
      expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok');
      app.metrics.interaction('terminal', 'command', 'ok');
      const scrape = await (await fetch(`${base}/metrics`)).text();
      expect(scrape).toContain('stretch_interactions_total{platform="terminal",kind="command",outcome="ok"} 1');
      expect(scrape).toContain('# TYPE stretch_outbox_rows gauge');
      expect(lines.join('')).not.toContain('could not count outbox rows');

      await app.storage.close(); // the database going away is what /healthz exists to notice
      expect((await fetch(`${base}/healthz`)).status).toBe(503);
    } finally {
      await app.stop();
    }
    expect(app.http!.server.listening).toBe(false);
  });

  it('has metrics but no HTTP server without PORT', async () => {
    const { app } = await createTestCoach();
    expect(app.http).toBeUndefined();
    app.metrics.fire('queued');
    expect(await app.metrics.registry.metrics()).toContain('stretch_fires_total{status="queued"} 1');
    await app.stop();
  });
});
