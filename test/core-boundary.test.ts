import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = resolve(import.meta.dirname, '../src/core');
const FORBIDDEN = /from\s+['"](discord\.js|@discordjs\/[^'"]*|@slack\/[^'"]*|node-cron|better-sqlite3|pino|ws)['"]|from\s+['"]\.\.\/(adapters|storage|scheduler)\//;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('core boundary', () => {
  const sources = files(CORE);
  it('finds the core sources', () => {
    expect(sources.length).toBeGreaterThan(5);
  });
  it.each(sources.map((f) => [f.slice(CORE.length + 1), f]))('%s imports no platform, storage or scheduler code', (_name, file) => {
    const offending = readFileSync(file, 'utf8').split('\n').filter((line) => FORBIDDEN.test(line));
    expect(offending).toEqual([]);
  });
  it('the check itself catches a platform import', () => {
    expect(FORBIDDEN.test("import { Client } from 'discord.js';")).toBe(true);
    expect(FORBIDDEN.test("import { App } from '@slack/bolt';")).toBe(true);
    expect(FORBIDDEN.test("import cron from 'node-cron';")).toBe(true);
  });
});
