/** Runs the real entry point (src/index.ts) as a child process, the way `npm start` does. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { TEST_PICTURES_DIR } from './coach.js';

export const ROOT = resolve(import.meta.dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Environment with no platform credentials, whatever the developer's shell has. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // Pictures come from the tests' shared cache, never drawn into the scratch cwd or the repository.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', PICTURES_DIR: TEST_PICTURES_DIR };
  return { ...env, ...extra };
}

/** `npm start` runs the compiled entry point that `npm install` builds (the prepare script). */
export const COMPILED_ENTRY = resolve(ROOT, 'dist/index.js');

/** Runs src/index.ts through tsx, or with `compiled` the built dist/index.js with plain node. */
export function runBot(input: string, env: Record<string, string>, timeoutMs = 15_000, compiled = false): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    // cwd is a scratch dir so a developer's .env is never picked up.
    const [command, args] = compiled ? [process.execPath, [COMPILED_ENTRY]] : [TSX, [resolve(ROOT, 'src/index.ts')]];
    const child = spawn(command, args, { cwd: env.CWD ?? ROOT, env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bot did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}
