import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');
const CORE = join(SRC, 'core');
/** Packages the core must not use: platforms, scheduling, storage, logging. */
const FORBIDDEN_PACKAGES = /^(discord\.js|node-cron|better-sqlite3|pino|ws|dotenv)(\/|$)|^@(discordjs|slack)\//;
/** Parts of src/ the core must not reach into. */
const FORBIDDEN_PATHS = ['adapters', 'storage', 'scheduler', 'content', 'app.ts', 'index.ts', 'config.ts', 'logger.ts'].map((p) => join(SRC, p));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every module specifier: static and type imports, re-exports, side-effect and dynamic imports. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const re of [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g]) {
    for (const m of source.matchAll(re)) found.push(m[1]!);
  }
  return found;
}

function violations(file: string, source: string): string[] {
  return specifiers(source).filter((spec) => {
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      return FORBIDDEN_PATHS.some((p) => target === p || target.startsWith(`${p}/`)) || !target.startsWith(`${CORE}/`);
    }
    return FORBIDDEN_PACKAGES.test(spec);
  });
}

describe('core boundary', () => {
  const sources = files(CORE);
  it('finds the core sources, nested folders included', () => {
    expect(sources.map((f) => relative(CORE, f))).toEqual(expect.arrayContaining(['coach.ts', 'commands/table.ts', 'schedule/when.ts']));
  });

  it.each(sources.map((f) => [relative(CORE, f), f]))('%s imports only the core and Node built-ins', (_name, file) => {
    expect(violations(file, readFileSync(file, 'utf8'))).toEqual([]);
  });

  it.each(sources.map((f) => [relative(CORE, f), f]))('%s names no platform, in code, wording or comments', (_name, file) => {
    // What differs by platform reaches the core as capabilities of the incoming command.
    expect(readFileSync(file, 'utf8').match(/\b(slack|discord|terminal)\b/gi) ?? []).toEqual([]);
  });

  it('the check itself catches every kind of forbidden import', () => {
    const file = join(CORE, 'team/example.ts');
    expect(violations(file, "import { Client } from 'discord.js';")).toEqual(['discord.js']);
    expect(violations(file, "import type { App } from '@slack/bolt';")).toEqual(['@slack/bolt']);
    expect(violations(file, "import 'node-cron';")).toEqual(['node-cron']);
    expect(violations(file, "const m = await import('better-sqlite3');")).toEqual(['better-sqlite3']);
    expect(violations(file, "import { openDatabase } from '../../storage/database.js';")).toEqual(['../../storage/database.js']);
    expect(violations(file, "import { createLogger } from '../../logger.js';")).toEqual(['../../logger.js']);
    expect(violations(file, "import { createCoach } from '../coach.js';\nimport { randomBytes } from 'node:crypto';")).toEqual([]);
  });
});
