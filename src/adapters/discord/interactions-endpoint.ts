/**
 * Discord interactions over HTTP (DISCORD_MODE=http): Discord POSTs each interaction to
 * /discord/interactions, signed with the application's Ed25519 key, and there is no gateway
 * connection, so any replica behind a load balancer can answer any request.
 *
 * The same discord.js objects and the same responder as in gateway mode answer it. Two seams
 * make that work:
 * - a verified payload is handed to discord.js's own interaction handling, which builds the
 *   ChatInputCommandInteraction / ButtonInteraction and emits InteractionCreate as it does
 *   for a gateway packet;
 * - the REST layer's `makeRequest` hook catches the interaction's first answer (discord.js
 *   would POST it to the callback endpoint) and sends it as the HTTP response instead, which
 *   is where Discord expects it for interactions it POSTed. Later answers (edits, follow-ups)
 *   go out through the REST API as usual.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { Client } from 'discord.js';
import type { Logger } from '../../logger.js';
import { isWellFormedInteraction } from './payload-guard.js';
import { isSignedByDiscord } from './signature.js';

export const INTERACTIONS_PATH = '/discord/interactions';
/** Larger bodies are not interactions. */
const MAX_BODY_BYTES = 1_000_000;
/** The responder always answers within Discord's 3 s (it defers at 1.5 s); this only guards a bug. */
const ANSWER_TIMEOUT_MS = 2_900;
/** The interaction response type that answers Discord's PING. */
const PONG = 1;

type MakeRequest = (url: string, init: RequestInit) => Promise<Response>;
type Answer = (body: string) => void;

/** discord.js's interaction handling; not in its typings, checked when HTTP mode starts. */
interface InteractionActions {
  actions?: { InteractionCreate?: { handle?: (data: unknown) => void } };
}

export interface InteractionsEndpoint {
  /** For ClientOptions.rest.makeRequest: the first answer of a waiting HTTP interaction becomes its HTTP response. */
  makeRequest: MakeRequest;
  /** The handler for POST /discord/interactions, once the client exists. */
  handler(client: Client): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

export function createInteractionsEndpoint(opts: { publicKey: KeyObject; apiUrl: string; applicationId: string; logger: Logger }): InteractionsEndpoint {
  const { logger: log } = opts;
  const waiting = new Map<string, Answer>();
  const callbackRoute = /\/interactions\/(\d+)\/([^/?]+)\/callback(?:\?|$)/;

  const makeRequest: MakeRequest = async (url, init) => {
    const m = callbackRoute.exec(url);
    const answer = m ? waiting.get(m[1]!) : undefined;
    if (!m || !answer) return fetch(url, init);
    waiting.delete(m[1]!);
    // Discord takes no files in an HTTP answer; the responder acknowledges before sending any.
    if (init.body instanceof FormData) throw new Error('an interaction answer with files cannot be an HTTP response');
    answer(String(init.body));
    // What the callback endpoint answers: no content.
    return new Response(null, { status: 204 });
  };

  function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          resolve(undefined);
          req.destroy();
        } else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  const json = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  };

  return {
    makeRequest,
    handler(client) {
      const actions = (client as unknown as InteractionActions).actions?.InteractionCreate;
      if (typeof actions?.handle !== 'function') {
        throw new Error('this discord.js version handles interactions differently; DISCORD_MODE=http needs discord.js 14');
      }
      const handle = actions.handle.bind(actions);
      return async (req, res) => {
        const body = await readBody(req);
        if (!body) return json(res, 413, '{"message":"request too large"}');
        const signature = req.headers['x-signature-ed25519'];
        const timestamp = req.headers['x-signature-timestamp'];
        if (!isSignedByDiscord(opts.publicKey, typeof signature === 'string' ? signature : undefined, typeof timestamp === 'string' ? timestamp : undefined, body)) {
          return json(res, 401, '{"message":"invalid request signature"}');
        }
        let data: { type?: unknown; id?: unknown };
        try {
          data = JSON.parse(body.toString('utf8')) as typeof data;
        } catch {
          return json(res, 400, '{"message":"body is not JSON"}');
        }
        if (data.type === PONG) return json(res, 200, JSON.stringify({ type: PONG }));
        if (!isWellFormedInteraction(data) || typeof data.id !== 'string') {
          log.warn({ type: data.type }, 'dropped a malformed interaction from Discord');
          return json(res, 400, '{"message":"malformed interaction"}');
        }
        const id = data.id;
        const answered = new Promise<string | undefined>((resolve) => {
          const timer = setTimeout(() => resolve(undefined), ANSWER_TIMEOUT_MS);
          waiting.set(id, (answer) => {
            clearTimeout(timer);
            resolve(answer);
          });
        });
        handle(data);
        const answer = await answered;
        waiting.delete(id);
        if (answer === undefined) {
          log.error({ interaction: id }, 'discord interaction was not answered in time');
          return json(res, 500, '{"message":"no answer"}');
        }
        json(res, 200, answer);
      };
    },
  };
}
