/**
 * The real bot (src/index.ts) as a child process the test can SIGKILL or SIGSTOP, with
 * every child it started ended by `stopBots()`.
 *
 * It runs as `node --import tsx src/index.ts`: what `tsx src/index.ts` runs, minus the tsx
 * CLI's wrapper process. With the wrapper, a signal would hit the wrapper and orphan the
 * real bot; here the pid we signal is the bot whose pid is in its outbox claims.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanEnv, ROOT } from './run-bot.js';

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface Bot {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/** Starts the bot in `cwd` (a scratch folder, so a developer's .env is never read). */
export function startBot(cwd: string, env: Record<string, string>): Bot {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, resolve(ROOT, 'src/index.ts')], {
    cwd,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return { child, output: () => out, exited };
}

/** SIGKILLs every bot still running (a stopped one too). */
export async function stopBots(): Promise<void> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      const exit = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exit;
    }
  }
  children.clear();
}

/** Polls `probe` until it returns something, failing after `ms` (with the bots' output). */
export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, ms: number, what: string, ...bots: Bot[]): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${bots.map((b, i) => `bot ${i + 1} output:\n${b.output()}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
