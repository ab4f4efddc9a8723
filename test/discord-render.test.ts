import { helpLines } from '../src/core/commands/help.js';
import { COMMANDS } from '../src/core/commands/table.js';
import { describe, expect, it } from 'vitest';
import {
  ATTACHMENT_DESCRIPTION_MAX,
  ACTION_ROWS_MAX,
  BUTTON_LABEL_MAX,
  BUTTONS_PER_ROW_MAX,
  CONTENT_MAX,
  CUSTOM_ID_MAX,
  EMBED_DESCRIPTION_MAX,
  EMBED_TOTAL_MAX,
  cardToDiscordMessage,
  embedLength,
  truncate,
  type DiscordMessage,
} from '../src/adapters/discord/render.js';
import { encodeAction } from '../src/core/action-id.js';
import { notice, type Card } from '../src/core/card.js';
import { newSession, transition, type Session } from '../src/core/session.js';
import { helpCard, hurtCard, listCard, pickerCard, sessionCard, summaryCard } from '../src/core/views.js';
import { validateMessage } from './emulators/discord-emulator.js';
import { shippedCatalogue } from './support/coach.js';

const catalogue = shippedCatalogue();

/** Every limit Discord enforces on what we send, checked directly and with the emulator's validator. */
function expectWithinLimits(msg: DiscordMessage, card: Card) {
  expect(validateMessage(msg, true), card.title).toBeUndefined();
  expect(msg.content?.length ?? 0).toBeLessThanOrEqual(CONTENT_MAX);
  expect(msg.embeds.length).toBeLessThanOrEqual(10);
  for (const e of msg.embeds) {
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(EMBED_DESCRIPTION_MAX);
    expect(embedLength(e)).toBeLessThanOrEqual(EMBED_TOTAL_MAX);
  }
  expect(msg.components.length).toBeLessThanOrEqual(ACTION_ROWS_MAX);
  const ids = new Set<string>();
  for (const row of msg.components) {
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(BUTTONS_PER_ROW_MAX);
    for (const b of row.components as Array<{ custom_id: string; label: string }>) {
      expect(b.custom_id.length).toBeGreaterThan(0);
      expect(b.custom_id.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
      expect(b.label.length).toBeLessThanOrEqual(BUTTON_LABEL_MAX);
      expect(ids.has(b.custom_id)).toBe(false);
      ids.add(b.custom_id);
    }
  }
}

/** The shipped cards must come through whole: nothing cut, no button lost. */
function expectUncut(msg: DiscordMessage, card: Card) {
  const rendered = msg.components.flatMap((r) => r.components) as Array<{ custom_id: string; label: string }>;
  expect(rendered.map((b) => [b.custom_id, b.label])).toEqual((card.buttons ?? []).map((b) => [b.id, b.label]));
  expect(JSON.stringify(msg)).not.toContain('…');
}

/** Every state a session card can be drawn in, for every step of every routine. */
function* allSessionCards(): Generator<[string, Card]> {
  for (const routine of catalogue.routines) {
    const base = newSession({
      id: 'abcdefghij',
      platform: 'discord',
      workspaceId: 'discord',
      userId: '123456789012345678',
      channelId: '223456789012345678',
      surface: 'channel',
      routineId: routine.id,
      exerciseIds: routine.exerciseIds,
      now: 0,
    });
    for (let step = 0; step < routine.exerciseIds.length; step++) {
      const s: Session = { ...base, step, results: base.results.map((_, k) => (k < step ? 'done' : 'pending')) };
      yield [`${routine.id} step ${step + 1}`, sessionCard(s, catalogue)];
      yield [`${routine.id} step ${step + 1} paused`, sessionCard({ ...s, status: 'paused', pausedAt: 0 }, catalogue)];
      const hurt = transition(s, 'hurt', 1000);
      if (hurt.ok) yield [`${routine.id} step ${step + 1} hurt`, hurtCard(hurt.session, catalogue)];
    }
    const done: Session = { ...base, step: routine.exerciseIds.length - 1, status: 'completed', finishedAt: 600_000, results: base.results.map(() => 'done') };
    yield [`${routine.id} completed`, summaryCard(done, catalogue)];
    yield [`${routine.id} stopped`, summaryCard({ ...done, status: 'stopped', results: base.results.map((_, k) => (k === 0 ? 'hurt' : k === 1 ? 'skipped' : 'pending')) }, catalogue)];
    yield [`${routine.id} abandoned`, summaryCard({ ...done, status: 'abandoned' }, catalogue)];
  }
}

describe('cardToDiscordMessage', () => {
  it('renders a small card to the exact message JSON', () => {
    const card: Card = {
      title: 'Neck Rolls',
      progress: { current: 2, total: 4 },
      sections: ['1. Drop your chin.\n2. Roll slowly.', 'Take care: go gently.'],
      fields: [{ label: 'Targets', value: 'neck' }],
      footer: 'Stop if it hurts.',
      buttons: [
        { id: 's:abcdefghij:1:next', label: 'Next', style: 'primary' },
        { id: 's:abcdefghij:1:back', label: 'Back', style: 'secondary' },
        { id: 's:abcdefghij:1:done', label: 'Done', style: 'success' },
        { id: 's:abcdefghij:1:stop', label: 'Stop', style: 'danger' },
      ],
      tone: 'warning',
    };
    expect(cardToDiscordMessage(card)).toEqual({
      embeds: [
        {
          title: 'Neck Rolls',
          color: 0xfee75c,
          fields: [{ name: 'Targets', value: 'neck' }],
          footer: { text: 'Stop if it hurts.' },
          description: 'Step 2 of 4 ▰▰▱▱\n\n1. Drop your chin.\n2. Roll slowly.\n\nTake care: go gently.',
        },
      ],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 1, custom_id: 's:abcdefghij:1:next', label: 'Next' },
            { type: 2, style: 2, custom_id: 's:abcdefghij:1:back', label: 'Back' },
            { type: 2, style: 3, custom_id: 's:abcdefghij:1:done', label: 'Done' },
            { type: 2, style: 4, custom_id: 's:abcdefghij:1:stop', label: 'Stop' },
          ],
        },
      ],
      files: [],
      attachments: [],
    });
  });

  it('shows a picture inside the embed and uploads it as the one attachment, with the alt text as its description', () => {
    const card: Card = { title: 'Cat-Cow', sections: ['Breathe.'], image: { key: 'cat-cow', alt: 'A person on hands and knees.' } };
    const msg = cardToDiscordMessage(card, { file: 'cat-cow-1a2b3c4d.gif', path: '/cache/cat-cow-1a2b3c4d.gif', alt: 'A person on hands and knees.' });
    expect(msg.embeds[0]!.image).toEqual({ url: 'attachment://cat-cow-1a2b3c4d.gif' });
    expect(msg.files).toEqual([{ attachment: '/cache/cat-cow-1a2b3c4d.gif', name: 'cat-cow-1a2b3c4d.gif', description: 'A person on hands and knees.' }]);
    // An edit keeps no earlier attachment: the new picture replaces the old.
    expect(msg.attachments).toEqual([]);
    // Long alt text is cut to Discord's limit for a description.
    const long = cardToDiscordMessage(card, { file: 'a.gif', path: '/a.gif', alt: 'word '.repeat(400) });
    expect(long.files[0]!.description!.length).toBe(ATTACHMENT_DESCRIPTION_MAX);
  });

  it('without a resolved picture the card has no image and uploads nothing (an exercise without a pose)', () => {
    const msg = cardToDiscordMessage({ title: 'Cat-Cow', sections: ['Breathe.'], image: { key: 'cat-cow', alt: 'x' } });
    expect(msg.embeds[0]!.image).toBeUndefined();
    expect(msg.files).toEqual([]);
  });

  it('renders a notice without progress, fields, footer or buttons, in the tone colour', () => {
    expect(cardToDiscordMessage(notice('Unknown routine', 'Try full.', 'danger'))).toEqual({
      embeds: [{ title: 'Unknown routine', color: 0xed4245, description: 'Try full.' }],
      components: [],
      files: [],
      attachments: [],
    });
    expect(cardToDiscordMessage({ title: 'Plain', sections: [] }).embeds[0]).toEqual({ title: 'Plain', color: 0x5865f2 });
  });

  it('puts six buttons in two rows of five and one', () => {
    const buttons = Array.from({ length: 6 }, (_, i) => ({ id: `b${i}`, label: `B${i}`, style: 'secondary' as const }));
    const rows = cardToDiscordMessage({ title: 't', sections: [], buttons }).components;
    expect(rows.map((r) => r.components.length)).toEqual([5, 1]);
  });

  it('keeps every step of every shipped routine, in every state, whole and within the limits', () => {
    let count = 0;
    for (const [name, card] of allSessionCards()) {
      const msg = cardToDiscordMessage(card);
      expectWithinLimits(msg, card);
      expectUncut(msg, card);
      if (card.progress) expect(msg.embeds[0]!.description, name).toContain(`Step ${card.progress.current} of ${card.progress.total}`);
      count++;
    }
    const steps = catalogue.routines.reduce((sum, r) => sum + r.exerciseIds.length, 0);
    expect(count).toBe(steps * 3 + catalogue.routines.length * 3);
  });

  it('keeps the picker, list, help and notice cards whole and within the limits', () => {
    const cards: Card[] = [
      pickerCard(catalogue, false),
      pickerCard(catalogue, true),
      listCard(catalogue),
      helpCard(catalogue, helpLines(COMMANDS)),
      helpCard(catalogue, helpLines(COMMANDS), 'dance'),
      notice('Check your DMs', 'I sent you the Full routine in a direct message.', 'success'),
    ];
    for (const card of cards) {
      const msg = cardToDiscordMessage(card);
      expectWithinLimits(msg, card);
      expectUncut(msg, card);
    }
    const picker = cardToDiscordMessage(pickerCard(catalogue, true));
    expect(picker.components.flatMap((r) => r.components).map((b) => (b as { custom_id: string }).custom_id)).toEqual(
      catalogue.routines.map((r) => encodeAction({ kind: 'pick', routineId: r.id, inDm: true })),
    );
  });

  it('cuts a synthetic oversized card down to Discord limits', () => {
    const long = (n: number, ch = 'x') => ch.repeat(n);
    const card: Card = {
      title: long(1000),
      progress: { current: 7, total: 99 },
      sections: Array.from({ length: 40 }, (_, i) => `${i}: ${long(500)}`),
      fields: Array.from({ length: 40 }, (_, i) => ({ label: `${i} ${long(400)}`, value: long(2000) })),
      footer: long(5000),
      buttons: [
        ...Array.from({ length: 40 }, (_, i) => ({ id: `id-${i}`, label: long(200), style: 'primary' as const })),
        { id: 'id-1', label: 'duplicate', style: 'secondary' },
        { id: long(101), label: 'id too long', style: 'secondary' },
        { id: '', label: 'no id', style: 'secondary' },
      ],
    };
    const msg = cardToDiscordMessage(card);
    expectWithinLimits(msg, card);
    const embed = msg.embeds[0]!;
    expect(embed.title).toHaveLength(256);
    expect(embed.title!.endsWith('…')).toBe(true);
    expect(embed.footer!.text).toHaveLength(2048);
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    const ids = msg.components.flatMap((r) => r.components).map((b) => (b as { custom_id: string }).custom_id);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `id-${i}`));
  });

  it('spends the 6000-character budget on the description before dropping fields', () => {
    const card: Card = {
      title: 'T',
      sections: ['d'.repeat(5000)],
      fields: ['A', 'B', 'C'].map((label) => ({ label, value: 'v'.repeat(1000) })),
      footer: 'f'.repeat(100),
    };
    const embed = cardToDiscordMessage(card).embeds[0]!;
    expect(embed.fields).toHaveLength(3);
    // 1 (title) + 3 × 1001 (fields) + 100 (footer) leaves 2896 for the description.
    expect(embed.description).toHaveLength(2896);
    expect(embedLength(embed)).toBe(6000);
    expect(embed.description!.endsWith('…')).toBe(true);
  });

  it('never splits a surrogate pair when cutting', () => {
    const cut = truncate('🙂'.repeat(10), 6);
    expect(cut.length).toBeLessThanOrEqual(6);
    expect(cut).toBe('🙂🙂…');
    expect(truncate('short', 80)).toBe('short');
  });
});

describe('hold timer rendering', () => {
  it('puts a live relative countdown beside the clock time in the embed', () => {
    const endsAt = Date.UTC(2026, 10, 24, 9, 0, 30);
    const msg = cardToDiscordMessage({ title: 'Wall Stretch', sections: ['Lean in.'], timer: { endsAt, seconds: 30 } });
    expect(msg.embeds[0]!.description).toBe(`Lean in.\n\n⏱ Ends <t:${endsAt / 1000}:R> (<t:${endsAt / 1000}:T>)`);
  });
});
