/**
 * `npm run build`: the production bundle in dist/, which `npm start` runs.
 *
 * Why a bundle rather than tsc's one file per module: Node pays for every ES module it loads
 * (a record, a parse, a link), and the bot's own code plus Kysely, zod and the rest are several
 * hundred modules. As one file (and a chunk per platform, loaded only when configured) start-up
 * is faster and the resident memory smaller (measured in `npm run bench`). Types are checked by
 * `npm run typecheck`; esbuild only strips them.
 *
 * Left outside the bundle: native addons (loaded from node_modules by path), the platform
 * libraries (loaded only when their platform is configured, as the unbundled code did) and pg
 * (only with DATABASE_URL; its optional native binding is looked up at run time).
 */
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(root, 'dist');

const EXTERNAL = ['better-sqlite3', '@resvg/resvg-js', 'discord.js', '@discordjs/*', '@slack/*', 'pg', 'pg-native'];

rmSync(dist, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/index.ts', 'src/adapters/discord/register.ts'],
  outbase: 'src',
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  external: EXTERNAL,
  // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
