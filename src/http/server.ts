/**
 * The bot's one HTTP server. Health, metrics and (later) the Slack and Discord HTTP
 * endpoints all hang off it, so a deployment opens one port. Handlers get the raw node
 * request and response, which lets ready-made listeners (Bolt's HTTPReceiver, an
 * interactions endpoint) be mounted as they are.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';

export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** `'*'` matches every method, for mounted listeners that answer methods themselves. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS' | '*';

export interface HttpServer {
  /**
   * Serve `path` exactly, or every path under it when it ends with `/` (`/images/`).
   * An exact route beats a prefix; a longer prefix beats a shorter one.
   */
  route(method: HttpMethod, pathOrPrefix: string, handler: HttpHandler): void;
  /** Starts listening; resolves with the port actually bound (useful with port 0). */
  listen(): Promise<number>;
  /** Stops accepting, ends idle and keep-alive connections, resolves when closed. */
  close(): Promise<void>;
  server: Server;
}

export interface HttpServerOptions {
  /** 0 lets the system pick a free port. */
  port: number;
  logger: Logger;
  /** Interface to bind; every interface when unset. */
  host?: string;
}

interface Route {
  method: HttpMethod;
  path: string;
  prefix: boolean;
  handler: HttpHandler;
}

export function createHttpServer({ port, logger, host }: HttpServerOptions): HttpServer {
  const routes: Route[] = [];

  const sendText = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(body);
  };

  const matching = (pathname: string) =>
    routes
      .filter((r) => (r.prefix ? pathname.startsWith(r.path) : pathname === r.path))
      .sort((a, b) => Number(a.prefix) - Number(b.prefix) || b.path.length - a.path.length);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // Only the path is ever logged or matched: query strings can carry tokens (OAuth codes, state).
    const pathname = (req.url ?? '/').split('?')[0] || '/';
    const candidates = matching(pathname);
    if (candidates.length === 0) return sendText(res, 404, 'Not Found');
    // HEAD is GET without the body (node drops it), as probes and curl -I expect.
    const method = req.method === 'HEAD' ? ['HEAD', 'GET'] : [req.method];
    const route = candidates.find((r) => r.method === '*' || method.includes(r.method));
    if (!route) {
      const allow = [...new Set(candidates.map((r) => r.method))].join(', ');
      return sendText(res, 405, 'Method Not Allowed', { allow });
    }
    try {
      await route.handler(req, res);
    } catch (err) {
      logger.error({ err, method: req.method, path: pathname }, 'HTTP handler failed');
      if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
      else res.destroy();
    }
  };

  const server = createServer((req, res) => void handle(req, res));

  return {
    server,
    route(method, pathOrPrefix, handler) {
      if (!pathOrPrefix.startsWith('/')) throw new Error(`route path must start with "/": ${pathOrPrefix}`);
      routes.push({ method, path: pathOrPrefix, prefix: pathOrPrefix.length > 1 && pathOrPrefix.endsWith('/'), handler });
    },
    listen() {
      return new Promise<number>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      if (!server.listening) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // close() alone waits for keep-alive clients to hang up, which may be never.
        server.closeAllConnections();
      });
    },
  };
}
