/** The Slack emulator's views behave as Slack documents them, so the adapter tests can trust them. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOT_TOKEN, SlackEmulator } from './emulators/slack-emulator.js';

const emu = new SlackEmulator();
const call = (method: string, body: object) =>
  fetch(`${emu.apiUrl}${method}`, { method: 'POST', headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
    (r) => r.json() as Promise<Record<string, any>>,
  );
const modal = (over: object = {}) => ({ type: 'modal', title: { type: 'plain_text', text: 'Title' }, blocks: [], ...over });
const trigger = () => emu.slashCommandPayload({ text: '', user: 'U0ALICE' }).trigger_id as string;
const section = { type: 'section', text: { type: 'mrkdwn', text: 'x' } };

describe('Slack emulator: views', () => {
  beforeAll(() => emu.start());
  afterAll(() => emu.stop());

  it('a trigger_id opens one modal, and only within 3 seconds', async () => {
    expect(await call('views.open', { trigger_id: 'made-up', view: modal() })).toMatchObject({ ok: false, error: 'invalid_trigger_id' });
    const t = trigger();
    expect(await call('views.open', { trigger_id: t, view: modal() })).toMatchObject({ ok: true });
    expect(await call('views.open', { trigger_id: t, view: modal() })).toMatchObject({ ok: false, error: 'exchanged_trigger_id' });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const late = trigger();
      vi.setSystemTime(Date.now() + 3_001);
      expect(await call('views.open', { trigger_id: late, view: modal() })).toMatchObject({ ok: false, error: 'expired_trigger_id' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a title over 24 characters, more than 100 blocks, and an initial option that is not an option', async () => {
    expect((await call('views.open', { trigger_id: trigger(), view: modal({ title: { type: 'plain_text', text: 'x'.repeat(25) } }) })).error).toBe('invalid_arguments');
    expect((await call('views.publish', { user_id: 'U0ALICE', view: { type: 'home', blocks: Array(101).fill(section) } })).error).toBe('invalid_arguments');
    expect((await call('views.publish', { user_id: 'U0ALICE', view: { type: 'home', blocks: Array(100).fill(section) } })).ok).toBe(true);
    const select = { type: 'input', block_id: 'b', label: { type: 'plain_text', text: 'L' }, element: { type: 'static_select', action_id: 'a', options: [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }], initial_option: { text: { type: 'plain_text', text: 'B' }, value: 'b' } } };
    const refused = await call('views.open', { trigger_id: trigger(), view: modal({ blocks: [select] }) });
    expect(refused.response_metadata.messages).toEqual(['view.blocks[0].element.initial_option: must be one of the options']);
  });
});
