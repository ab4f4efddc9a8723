import type { Button as SlackButton, MrkdwnElement } from '@slack/types';
import { helpLines } from '../src/core/commands/help.js';
import { COMMANDS } from '../src/core/commands/table.js';
import { describe, expect, it } from 'vitest';
import type { Button, Card } from '../src/core/card.js';
import { notice } from '../src/core/card.js';
import { newSession, transition, type Session } from '../src/core/session.js';
import { helpCard, listCard, pickerCard, sessionCard } from '../src/core/views.js';
import {
  cardToBlockKit,
  escapeMrkdwn,
  MAX_ACTION_ID,
  MAX_ACTIONS_ELEMENTS,
  MAX_ALT_TEXT,
  MAX_IMAGE_URL,
  MAX_BLOCKS,
  MAX_BUTTON_TEXT,
  MAX_BUTTON_VALUE,
  MAX_CONTEXT_ELEMENTS,
  MAX_CONTEXT_TEXT,
  MAX_FALLBACK_TEXT,
  MAX_FIELD_TEXT,
  MAX_HEADER_TEXT,
  MAX_SECTION_FIELDS,
  MAX_SECTION_TEXT,
  splitEscaped,
  TRIMMED_NOTE,
  type BlockKitMessage,
} from '../src/adapters/slack/render.js';
import { blockKitProblems } from './emulators/slack-emulator.js';
import { shippedCatalogue } from './support/coach.js';

/** Every limit, checked against the renderer's constants (and by the emulator's independent validator). */
function limitProblems(msg: BlockKitMessage): string[] {
  const problems = blockKitProblems(msg.blocks);
  const over = (what: string, n: number, max: number) => n > max && problems.push(`${what}: ${n} > ${max}`);
  over('blocks', msg.blocks.length, MAX_BLOCKS);
  over('fallback text', msg.text.length, MAX_FALLBACK_TEXT);
  if (!msg.text) problems.push('empty fallback text');
  const ids = new Set<string>();
  const mrkdwn: string[] = [];
  for (const b of msg.blocks) {
    switch (b.type) {
      case 'header':
        over('header', b.text.text.length, MAX_HEADER_TEXT);
        break;
      case 'section':
        if (b.text) over('section text', b.text.text.length, MAX_SECTION_TEXT);
        over('fields', b.fields?.length ?? 0, MAX_SECTION_FIELDS);
        for (const f of b.fields ?? []) over('field text', f.text.length, MAX_FIELD_TEXT);
        mrkdwn.push(b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text));
        break;
      case 'context':
        over('context elements', b.elements.length, MAX_CONTEXT_ELEMENTS);
        // The renderer only puts mrkdwn text into context blocks.
        for (const e of b.elements as MrkdwnElement[]) over('context text', e.text.length, MAX_CONTEXT_TEXT);
        mrkdwn.push(...(b.elements as MrkdwnElement[]).map((e) => e.text));
        break;
      case 'actions':
        over('actions elements', b.elements.length, MAX_ACTIONS_ELEMENTS);
        // The renderer only puts buttons with an id and a value into actions blocks.
        for (const e of b.elements as (SlackButton & { action_id: string; value: string })[]) {
          over('button text', e.text.text.length, MAX_BUTTON_TEXT);
          over('action_id', e.action_id.length, MAX_ACTION_ID);
          over('value', e.value.length, MAX_BUTTON_VALUE);
          if (ids.has(e.action_id)) problems.push(`duplicate action_id ${e.action_id}`);
          ids.add(e.action_id);
        }
        break;
    }
  }
  // No unescaped control characters in mrkdwn (a bare `<` would start a link).
  for (const t of mrkdwn) if (/<|>|&(?!amp;|lt;|gt;)/.test(t)) problems.push(`unescaped mrkdwn: ${t.slice(0, 60)}`);
  return problems;
}

function expectWithinLimits(msg: BlockKitMessage, label: string): void {
  expect(limitProblems(msg), label).toEqual([]);
}

describe('cardToBlockKit', () => {
  it('renders a small card to exact Block Kit JSON', () => {
    const card: Card = {
      title: 'Neck & shoulders',
      progress: { current: 2, total: 4 },
      sections: ['1. Sit tall.\n2. Roll <slowly>.'],
      fields: [
        { label: 'Targets', value: 'neck, shoulders' },
        { label: 'Timing', value: '⏱ Hold 20 s' },
      ],
      footer: 'Stop any move that hurts.',
      buttons: [
        { id: 's:abc:1:next', label: 'Next', style: 'primary' },
        { id: 's:abc:1:skip', label: 'Skip', style: 'secondary' },
        { id: 's:abc:1:done', label: 'Done', style: 'success' },
        { id: 's:abc:1:hurt', label: 'It hurts', style: 'danger' },
      ],
      tone: 'info',
    };
    expect(cardToBlockKit(card)).toEqual({
      text: 'Neck &amp; shoulders\nStep 2 of 4 ▰▰▱▱\n\n1. Sit tall.\n2. Roll &lt;slowly&gt;.\n\nTargets: neck, shoulders\nTiming: ⏱ Hold 20 s\n\nStop any move that hurts.',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Neck & shoulders', emoji: true } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Step 2 of 4 ▰▰▱▱' }] },
        { type: 'section', text: { type: 'mrkdwn', text: '1. Sit tall.\n2. Roll &lt;slowly&gt;.' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Targets*\nneck, shoulders' },
            { type: 'mrkdwn', text: '*Timing*\n⏱ Hold 20 s' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Stop any move that hurts.' }] },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 's:abc:1:next', value: 's:abc:1:next', text: { type: 'plain_text', text: 'Next', emoji: true }, style: 'primary' },
            { type: 'button', action_id: 's:abc:1:skip', value: 's:abc:1:skip', text: { type: 'plain_text', text: 'Skip', emoji: true } },
            { type: 'button', action_id: 's:abc:1:done', value: 's:abc:1:done', text: { type: 'plain_text', text: 'Done', emoji: true }, style: 'primary' },
            { type: 'button', action_id: 's:abc:1:hurt', value: 's:abc:1:hurt', text: { type: 'plain_text', text: 'It hurts', emoji: true }, style: 'danger' },
          ],
        },
      ],
    });
  });

  it('renders a notice (no progress, fields or buttons) as header + section only', () => {
    expect(cardToBlockKit(notice('Unknown routine', 'Try one of: full, desk.')).blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Unknown routine', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Try one of: full, desk.' } },
    ]);
  });

  it('puts the picture right under the title (and progress) as an image block with alt text', () => {
    const card: Card = { title: 'Cat-Cow', progress: { current: 1, total: 2 }, sections: ['Breathe.'], image: { key: 'cat-cow', alt: 'ignored here' } };
    const msg = cardToBlockKit(card, { url: 'https://stretch.example.com/images/cat-cow-1a2b3c4d.gif', alt: 'A person on\nhands and knees.' });
    expect(msg.blocks.map((b) => b.type)).toEqual(['header', 'context', 'image', 'section']);
    expect(msg.blocks[2]).toEqual({ type: 'image', image_url: 'https://stretch.example.com/images/cat-cow-1a2b3c4d.gif', alt_text: 'A person on hands and knees.' });
    expect(blockKitProblems(msg.blocks)).toEqual([]);
    // Long alt text is cut to Slack's limit; a URL Slack would refuse means no picture rather than no message.
    const long = cardToBlockKit(card, { url: 'https://x.example/a.gif', alt: 'word '.repeat(600) });
    expect((long.blocks[2] as { alt_text: string }).alt_text.length).toBe(MAX_ALT_TEXT);
    expect(cardToBlockKit(card, { url: `https://x.example/${'a'.repeat(MAX_IMAGE_URL)}`, alt: 'x' }).blocks.map((b) => b.type)).not.toContain('image');
    expect(cardToBlockKit(card, { url: '/images/a.gif', alt: 'x' }).blocks.map((b) => b.type)).not.toContain('image');
    // Without a resolved picture (no PUBLIC_URL), the card renders as before.
    expect(cardToBlockKit(card).blocks.map((b) => b.type)).toEqual(['header', 'context', 'section']);
  });

  it('the emulator refuses image blocks Slack refuses', () => {
    expect(blockKitProblems([{ type: 'image', image_url: 'https://x.example/a.gif' }])).toEqual(['blocks[0]: alt_text is required']);
    expect(blockKitProblems([{ type: 'image', image_url: 'a.gif', alt_text: 'a' }])).toEqual(['blocks[0]: image_url must be an absolute http(s) URL']);
    expect(blockKitProblems([{ type: 'image', image_url: `https://x.example/${'a'.repeat(3000)}`, alt_text: 'a' }])).toEqual([expect.stringContaining('at most 3000')]);
  });

  it('keeps every card of every shipped routine within every Slack limit', () => {
    const catalogue = shippedCatalogue();
    let checked = 0;
    const check = (card: Card, label: string) => {
      expectWithinLimits(cardToBlockKit(card), label);
      checked += 1;
    };
    check(pickerCard(catalogue, false), 'picker');
    check(pickerCard(catalogue, true), 'picker (dm)');
    check(listCard(catalogue), 'list');
    check(helpCard(catalogue, helpLines(COMMANDS)), 'help');
    check(helpCard(catalogue, helpLines(COMMANDS), 'x'.repeat(5000)), 'help with a huge unknown word');

    for (const routine of catalogue.routines) {
      const start = newSession({ id: 'abcdefghij', platform: 'slack', workspaceId: 'T1', userId: 'U1', channelId: 'C1', surface: 'channel', routineId: routine.id, exerciseIds: routine.exerciseIds, now: 0 });
      const step = (s: Session, verb: Parameters<typeof transition>[1]) => {
        const r = transition(s, verb, 1000);
        if (!r.ok) throw new Error(r.message);
        return r.session;
      };
      let s = start;
      for (let i = 0; i < routine.exerciseIds.length; i += 1) {
        check(sessionCard(s, catalogue), `${routine.id} step ${i + 1}`);
        check(sessionCard(step(s, 'pause'), catalogue), `${routine.id} step ${i + 1} paused`);
        check(sessionCard(step(s, 'hurt'), catalogue), `${routine.id} step ${i + 1} hurt`);
        check(sessionCard(step(s, 'stop'), catalogue), `${routine.id} stopped at ${i + 1}`);
        s = i === routine.exerciseIds.length - 1 ? step(s, 'done') : step(s, 'next');
      }
      check(sessionCard(s, catalogue), `${routine.id} completed`);
      check(sessionCard(step(step(start, 'hurt'), 'skip'), catalogue), `${routine.id} skipped after hurt`);
      check(sessionCard({ ...start, status: 'abandoned' }, catalogue), `${routine.id} abandoned`);
    }
    // 5 general cards + per routine: 4 per step + 3.
    const steps = catalogue.routines.reduce((n, r) => n + r.exerciseIds.length, 0);
    expect(checked).toBe(5 + 4 * steps + 3 * catalogue.routines.length);
  });

  it('splits or trims an oversize card instead of producing blocks Slack rejects', () => {
    const long = 'Bend & <reach> 🎉 '.repeat(700);
    const buttons: Button[] = [
      ...Array.from({ length: 120 }, (_, i) => ({ id: `b:${i}`, label: `Button ${i} ${'label '.repeat(30)}`, style: 'primary' as const })),
      { id: 'x'.repeat(MAX_ACTION_ID + 1), label: 'Too long id', style: 'secondary' },
      { id: 'b:0', label: 'Duplicate id', style: 'secondary' },
    ];
    const card: Card = {
      title: `A title ${'very '.repeat(100)}long`,
      progress: { current: 3, total: 400 },
      sections: [long, ...Array.from({ length: 80 }, (_, i) => `Section ${i}: ${long.slice(0, 500)}`), '', '   '],
      fields: Array.from({ length: 25 }, (_, i) => ({ label: `Field ${i} <&>`, value: long })),
      footer: long.repeat(3),
      buttons,
    };
    const msg = cardToBlockKit(card);
    expectWithinLimits(msg, 'oversize');
    expect(msg.blocks).toHaveLength(MAX_BLOCKS);
    expect(msg.blocks[0]!.type).toBe('header');
    expect(msg.blocks[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: expect.stringMatching(/^Step 3 of 400 /) }] });
    // Buttons survive the trimming; bad ids are left out, never sent.
    const actions = msg.blocks.filter((b) => b.type === 'actions');
    expect(actions.length).toBeGreaterThan(0);
    const ids = actions.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
    expect(ids.slice(0, 3)).toEqual(['b:0', 'b:1', 'b:2']);
    expect(ids).not.toContain('x'.repeat(MAX_ACTION_ID + 1));
    expect(new Set(ids).size).toBe(ids.length);
    expect(msg.blocks.slice(-actions.length).every((b) => b.type === 'actions')).toBe(true);
    expect(JSON.stringify(msg.blocks)).toContain(escapeMrkdwn(TRIMMED_NOTE));
  });

  it('stays within the limits for random cards (seeded)', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const words = ['stretch', '&', '<b>', '>', '🎉', 'neck', '\n', 'a'.repeat(50), ' ', '*bold*', '⏱', 'x'.repeat(3100)];
    const text = (max: number) => Array.from({ length: Math.floor(rand() * max) }, () => pick(words)).join(rand() < 0.5 ? ' ' : '');
    for (let n = 0; n < 100; n += 1) {
      const card: Card = {
        title: text(40),
        sections: Array.from({ length: Math.floor(rand() * 70) }, () => text(60)),
        fields: Array.from({ length: Math.floor(rand() * 30) }, () => ({ label: text(5), value: text(50) })),
        footer: rand() < 0.5 ? text(100) : undefined,
        progress: rand() < 0.5 ? { current: Math.floor(rand() * 50), total: 1 + Math.floor(rand() * 50) } : undefined,
        buttons: Array.from({ length: Math.floor(rand() * 120) }, (_, i) => ({ id: rand() < 0.05 ? 'y'.repeat(300) : `id:${Math.floor(rand() * 150)}:${i % 3}`, label: text(10), style: pick(['primary', 'secondary', 'success', 'danger'] as const) })),
      };
      expectWithinLimits(cardToBlockKit(card), `random card ${n}`);
    }
  });
});

describe('splitEscaped', () => {
  it('splits at line breaks first and never inside an entity', () => {
    const text = `${'a&'.repeat(40)}\n${'b<'.repeat(40)}`;
    const chunks = splitEscaped(text, 100);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(100);
      expect(c).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect(chunks.join('')).toBe(escapeMrkdwn(text).replace('\n', ''));
  });

  it('prefers spaces when a single line is too long, and keeps emoji whole', () => {
    const text = `${'word '.repeat(30)}🎉🎉🎉`;
    const chunks = splitEscaped(text, 32);
    expect(chunks.every((c) => c.length <= 32 && !/^\s|\s$/.test(c))).toBe(true);
    expect(chunks.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' ').trim());
    expect(chunks.join('')).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('hold timer rendering', () => {
  it("shows the end in the reader's own zone with a UTC fallback and the seconds, in a valid message", () => {
    const endsAt = Date.UTC(2026, 10, 24, 9, 0, 30);
    const card: Card = { title: 'Wall Stretch', sections: ['Lean in.'], timer: { endsAt, seconds: 30 } };
    const msg = cardToBlockKit(card);
    const texts = msg.blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
    expect(texts).toContain(`⏱ Ends at <!date^${endsAt / 1000}^{time_secs}|09:00:30 UTC> (30 s)`);
    expect(msg.text).toContain('⏱ Ends at 09:00:30 UTC (30 s)');
    expect(blockKitProblems(msg.blocks)).toEqual([]);
  });
});
