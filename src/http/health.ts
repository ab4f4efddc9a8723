/**
 * GET /healthz for load balancers and orchestrators: 200 when the database answers, 503
 * otherwise. A replica that cannot reach its database cannot do anything useful, so
 * that one check is the whole answer.
 */
import type { Logger } from '../logger.js';
import type { HttpHandler } from './server.js';

export interface HealthOptions {
  /** Resolves when the database answers (e.g. `SELECT 1`). */
  ping: () => Promise<void>;
  logger: Logger;
  /** Probes usually time out after a few seconds; answer before they do. */
  timeoutMs?: number;
}

class PingTimeout extends Error {}

export function healthHandler({ ping, logger, timeoutMs = 2000 }: HealthOptions): HttpHandler {
  return async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PingTimeout()), timeoutMs);
    });
    let reason: string | undefined;
    try {
      await Promise.race([Promise.resolve().then(ping), timeout]);
    } catch (err) {
      // The body stays generic: driver errors can name hosts and users; the log has the detail.
      reason = err instanceof PingTimeout ? `database did not answer within ${timeoutMs} ms` : 'database ping failed';
      logger.warn({ err: err instanceof PingTimeout ? undefined : err }, `health check failed: ${reason}`);
    } finally {
      clearTimeout(timer);
    }
    res.writeHead(reason ? 503 : 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(reason ? `unavailable: ${reason}` : 'ok');
  };
}
