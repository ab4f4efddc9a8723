import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLine } from '../src/adapters/terminal/parse.js';
import { renderReply } from '../src/adapters/terminal/render.js';
import { readFileSync } from 'node:fs';
import { COMPILED_ENTRY, ROOT, runBot } from './support/run-bot.js';
import { shippedCatalogue, TEST_PICTURES_DIR } from './support/coach.js';

const dir = mkdtempSync(join(tmpdir(), 'stretch-term-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = (db: string) => ({ DATABASE_PATH: join(dir, db), CONTENT_DIR: join(import.meta.dirname, '../content'), CWD: dir });
const titles = (out: string) => [...out.matchAll(/^── (.+?) ─/gm)].map((m) => m[1]);

describe('the production build', () => {
  it('npm start runs the compiled JavaScript that npm install builds', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toMatch(/^node .*dist\/index\.js$/);
    expect(pkg.scripts.prepare).toBe('npm run build');
    expect(pkg.scripts.dev).toContain('tsx watch src/index.ts');
  });

  // dist/ exists after `npm install` / `npm ci` (prepare); a bare checkout has none yet.
  it.skipIf(!existsSync(COMPILED_ENTRY))('the compiled entry point runs the terminal coach', async () => {
    const r = await runBot('/stretch start neck\nNext\n', env('compiled.db'), 15_000, true);
    expect(r.code).toBe(0);
    expect(titles(r.stdout)).toEqual(['Neck Rolls (warm-up)', 'Neck Flexion']);
  });
});

describe('terminal coach (child process, piped input)', () => {
  it('prints the first two exercises for "/stretch start full" + "Next" and exits at end of input', async () => {
    const r = await runBot('/stretch start full\nNext\n', env('two.db'));
    expect(r.code).toBe(0);
    expect(titles(r.stdout)).toEqual(['Running on the Spot (warm-up)', 'Jumping Jacks (warm-up)']);
    expect(r.stdout).toContain('Step 2 of 12 ▰▰▱▱▱▱▱▱▱▱▱▱');
    expect(r.stdout).toContain('[1] Next  [2] Back  [3] ⏱ Start timer (300 s)  [4] Skip  [5] Pause  [6] Stop  [7] It hurts');
    expect(existsSync(join(dir, 'two.db'))).toBe(true);
  });

  it('shows each step with half-block art of the still (≤ 80 columns), its alt text and the GIF path; NO_COLOR prints no escape codes', async () => {
    const c = shippedCatalogue();
    const [first, second] = c.routines.find((r) => r.id === 'neck')!.exerciseIds.map((id) => c.exercises.get(id)!);
    const plain = await runBot('/stretch start neck\nNext\n', { ...env('art.db'), NO_COLOR: '1' });
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('\x1b');
    for (const ex of [first!, second!]) {
      expect(plain.stdout).toMatch(new RegExp(`Animation: ${TEST_PICTURES_DIR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${ex.id}-[0-9a-f]{8}\\.gif`));
      // The alt text, wrapped to fit.
      expect(plain.stdout.replace(/\n/g, ' ')).toContain(ex.pose!.alt);
    }
    expect(plain.stdout).toMatch(/[▀▄█]{4}/);
    const art = plain.stdout.split('\n').filter((l) => /[▀▄█]/.test(l) && !l.includes('▰'));
    expect(art.length).toBeGreaterThan(10);
    for (const line of art) expect([...line].length).toBeLessThanOrEqual(80);

    const colour = await runBot('/stretch start neck\n', env('colour.db'));
    expect(colour.stdout).toMatch(/\x1b\[38;5;\d+m\x1b\[48;5;\d+m▀/);
    const cells = colour.stdout.split('\n').filter((l) => l.includes('\x1b['));
    expect(cells.length).toBeGreaterThan(10);
    for (const line of cells) expect([...line.replace(/\x1b\[[0-9;]*m/g, '')].length).toBeLessThanOrEqual(80);
  });

  it('runs the whole full routine by label and by number, to the summary', async () => {
    const input = ['/stretch', '1', ...Array(11).fill('next'), 'Done', ''].join('\n');
    const r = await runBot(input, env('full.db'));
    expect(r.code).toBe(0);
    const c = shippedCatalogue();
    const names = c.routines[0]!.exerciseIds.map((id) => c.exercises.get(id)!.name);
    expect(titles(r.stdout).map((t) => t!.replace(' (warm-up)', ''))).toEqual(['Time for a stretch break', ...names, '🎉 Routine complete']);
    expect(r.stdout).toContain('Full routine: 12 of 12 exercises done.');
  });

  it('stores every transition in the database file, so a later process sees it', async () => {
    await runBot('/stretch start desk\nNext\nSkip\n', env('restart.db'));
    const db = new BetterSqlite3(join(dir, 'restart.db'), { readonly: true });
    expect(db.prepare('SELECT routine_id, step, status, results FROM sessions').all()).toEqual([
      { routine_id: 'desk', step: 2, status: 'active', results: '["done","skipped","pending","pending","pending"]' },
    ]);
    db.close();
  });

  it('answers bad input precisely and keeps going', async () => {
    const r = await runBot('hello\n/stretch start yoga\n/stretch start neck\n9\nsideways\nquit\n/stretch\n', env('bad.db'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Type /stretch to start, or /stretch help.');
    expect(r.stdout).toContain('I don\'t have a routine called "yoga"');
    expect(r.stdout).toContain('"9" is not one of the choices. Type a number or a label: [1] Next');
    expect(r.stdout).toContain('"sideways" is not one of the choices.');
    // quit stops reading: the picker after it never shows.
    expect(r.stdout).not.toContain('Time for a stretch break');
  });

  it('refuses a bad config value with one line naming the variable, and exits 1', async () => {
    const r = await runBot('', { ...env('cfg.db'), DEFAULT_TIMEZONE: 'Mars/Olympus' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      'Config error: DEFAULT_TIMEZONE must be an IANA time zone such as UTC, Europe/Berlin or America/New_York. Fix it in .env or the environment (see .env.example).',
    );
  });

  it('refuses broken content at start-up naming the file', async () => {
    const r = await runBot('', { ...env('content.db'), CONTENT_DIR: join(dir, 'missing-content') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing-content: content directory not found/);
  });
});

describe('terminal parse and render', () => {
  const buttons = [
    { id: 'a', label: 'Next', style: 'primary' as const },
    { id: 'b', label: 'It hurts', style: 'danger' as const },
  ];
  it('maps numbers and labels (any case) to buttons', () => {
    expect(parseLine('2', buttons)).toEqual({ kind: 'press', button: buttons[1] });
    expect(parseLine(' it HURTS ', buttons)).toEqual({ kind: 'press', button: buttons[1] });
    expect(parseLine('[1]', buttons)).toEqual({ kind: 'press', button: buttons[0] });
    expect(parseLine('3', buttons)).toEqual({ kind: 'unknown', text: '3' });
    expect(parseLine('/stretch start full', buttons)).toEqual({ kind: 'command', command: { name: 'start', options: { routine: 'full' } } });
    expect(parseLine('exit', buttons)).toEqual({ kind: 'quit' });
  });
  it('prints a picture under the title: the art, the alt text wrapped to 78 columns, the GIF path', () => {
    const alt = 'A person on hands and knees on a mat, rounding the back up toward the ceiling with the head dropped, then letting the belly sink.';
    const text = renderReply({ target: 'update', card: { title: 'Cat-Cow', sections: ['Body'] } }, { art: '▀▄\n██', alt, gifPath: '/cache/cat-cow-1.gif' });
    const lines = text.split('\n');
    expect(lines.slice(1, 3)).toEqual(['▀▄', '██']);
    expect(lines.slice(3, 5).join(' ')).toBe(alt);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
    expect(lines[5]).toBe('Animation: /cache/cat-cow-1.gif');
    expect(lines[6]).toBe('');
    expect(lines[7]).toBe('Body');
  });

  it('renders a card as text with a numbered button list', () => {
    const text = renderReply({ target: 'dm', card: { title: 'Hi', sections: ['Body'], progress: { current: 1, total: 4 }, buttons } });
    expect(text).toBe(
      `── Hi ${'─'.repeat(42)}\n(sent to your direct messages)\nStep 1 of 4 ▰▱▱▱\n\nBody\n\n[1] Next  [2] It hurts\n`,
    );
  });
});

describe('terminal hold timer (in process, fake clock)', () => {
  it('counts down on one line, then prints "Time\'s up" by itself; end of input waits for it', async () => {
    const { PassThrough } = await import('node:stream');
    const { createTerminalCoach } = await import('../src/adapters/terminal/transport.js');
    const { createTestCoach, silentLogger } = await import('./support/coach.js');
    const t = await createTestCoach();
    const input = new PassThrough();
    let out = '';
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const terminal = createTerminalCoach({ coach: t.coach, logger: silentLogger(), input, output, userId: 'me', clock: t.clock, tickMs: 5 });
    t.app.notifiers.set('terminal', terminal.notifier);
    const done = terminal.run();
    const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
    input.write('/stretch start neck\nnext\n');
    await settle();
    input.write('⏱ Start timer (30 s)\n');
    await settle();
    expect(out).toContain('⏱ Ends at 09:00:30 UTC (30 s)');
    expect(out).toMatch(/\r⏱ 30 s left /);
    t.clock.advance(12_000);
    await settle();
    expect(out).toMatch(/\r⏱ 18 s left /);
    // Only redraws of the one line so far: no new card, no line break after the countdown.
    expect(out.slice(out.indexOf('\r⏱'))).not.toContain('\n');
    input.end();
    t.clock.advance(18_000);
    expect(await t.app.holdTimers.runDue()).toBe(1);
    await done;
    expect(out).toContain("⏱ Time's up. Press Next when you are ready.");
    expect(out.match(/── Neck Flexion/g)).toHaveLength(3);
  });
});
