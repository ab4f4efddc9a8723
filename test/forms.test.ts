import { describe, expect, it } from 'vitest';
import { formToModal as discordModal, modalValues } from '../src/adapters/discord/modal.js';
import { formNameOf, formToModal as slackModal, originOf, stateToValues } from '../src/adapters/slack/modal.js';
import { cardsToHomeView, MAX_HOME_BLOCKS } from '../src/adapters/slack/render.js';
import type { Form } from '../src/core/forms/form.js';
import { daysText, problemsCard } from '../src/core/forms/submit.js';
import { decodeAction, encodeAction } from '../src/core/action-id.js';
import { COMMON_ZONES, zoneChoices } from '../src/core/forms/build.js';
import { isValidTimeZone } from '../src/core/schedule/zoned-time.js';

const form: Form = {
  name: 'schedule',
  title: 'Add a break time',
  submit: 'Add',
  fields: [
    { id: 'routine', label: 'Routine', kind: 'select', choices: [{ value: 'desk', label: 'Desk' }, { value: 'neck', label: 'Neck' }], initial: 'desk' },
    { id: 'days', label: 'Days', kind: 'multi', choices: [{ value: 'mon', label: 'Monday' }, { value: 'tue', label: 'Tuesday' }], initial: ['mon'] },
    { id: 'time', label: 'Time', kind: 'time', initial: '10:30' },
    { id: 'timezone', label: 'Time zone', kind: 'select', choices: zoneChoices('Europe/Berlin'), initial: 'Europe/Berlin' },
  ],
};

describe('form answers → when words', () => {
  it.each([
    [['mon', 'tue', 'wed', 'thu', 'fri'], 'weekdays'],
    [['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], 'daily'],
    [['sat', 'sun'], 'weekends'],
    [['fri', 'mon', 'wed'], 'mon,wed,fri'],
    [['mon', 'nope'], 'mon'],
  ])('%j → %s', (days, text) => expect(daysText(days)).toBe(text));

  it('lists problems by field label on one private card', () => {
    expect(problemsCard({ time: 'Pick a time.', timezone: 'Unknown.' }).sections).toEqual(['Time: Pick a time.\nTime zone: Unknown.']);
  });

  it('offers only real zones, the person’s own first', () => {
    expect(COMMON_ZONES.every(isValidTimeZone)).toBe(true);
    expect(zoneChoices('Asia/Kathmandu')[0]).toEqual({ value: 'Asia/Kathmandu', label: 'Asia/Kathmandu' });
    expect(zoneChoices('UTC').filter((c) => c.value === 'UTC')).toHaveLength(1);
  });

  it('form and home buttons round-trip as action ids; strangers are refused', () => {
    for (const ref of [{ kind: 'form', form: 'settings' }, { kind: 'home', verb: 'optout', arg: 'C0GENERAL' }, { kind: 'home', verb: 'pause' }] as const) {
      expect(decodeAction(encodeAction(ref))).toEqual(ref);
    }
    expect(decodeAction('f:nope')).toBeUndefined();
    expect(decodeAction('h:delete:all')).toBeUndefined();
    expect(decodeAction('h:optout:<script>')).toBeUndefined();
  });
});

describe('Slack modal', () => {
  it('renders input blocks by field id, remembers where it was opened, reads answers back', () => {
    const view = slackModal(form, { channelId: 'C1', isDm: false }) as any;
    expect(view.callback_id).toBe('stretch_form:schedule');
    expect(formNameOf(view.callback_id)).toBe('schedule');
    expect(originOf(view.private_metadata)).toEqual({ channelId: 'C1', isDm: false });
    expect(originOf('{"channelId":"<evil>"}')).toBeUndefined();
    expect(view.blocks.map((b: any) => [b.block_id, b.element.type])).toEqual([
      ['routine', 'static_select'],
      ['days', 'checkboxes'],
      ['time', 'timepicker'],
      ['timezone', 'static_select'],
    ]);
    expect(view.blocks[3].element.options.length).toBeLessThanOrEqual(100);
    const values = stateToValues({
      values: {
        routine: { routine: { type: 'static_select', selected_option: { value: 'neck' } } },
        days: { days: { type: 'checkboxes', selected_options: [{ value: 'mon' }, { value: 'tue' }] } },
        time: { time: { type: 'timepicker', selected_time: '09:15' } },
        timezone: { timezone: { type: 'static_select', selected_option: null } },
      },
    });
    expect(values).toEqual({ routine: ['neck'], days: ['mon', 'tue'], time: ['09:15'], timezone: [] });
    expect(stateToValues('garbage')).toEqual({});
  });

  it('the Home view keeps whole cards within 100 blocks', () => {
    const card = { title: 'T', sections: ['x'], buttons: [{ id: 'a', label: 'A', style: 'primary' as const }] };
    const view = cardsToHomeView(Array.from({ length: 60 }, () => card));
    expect(view.blocks.length).toBeLessThanOrEqual(MAX_HOME_BLOCKS);
    expect(view.blocks.at(-1)!.type).toBe('actions');
  });
});

describe('Discord modal', () => {
  it('puts selects in Labels, turns a long list (zones) into a prefilled text input, reads answers back', () => {
    const modal = discordModal(form) as any;
    expect(modal.custom_id).toBe('form:schedule');
    expect(modal.components).toHaveLength(4);
    expect(modal.components.map((l: any) => l.type)).toEqual([18, 18, 18, 18]);
    expect(modal.components[1].component).toMatchObject({ type: 3, max_values: 2, min_values: 1 });
    expect(modal.components[3].component).toMatchObject({ type: 4, value: 'Europe/Berlin' });
    const values = modalValues([
      { component: { customId: 'routine', values: ['neck'] } },
      { component: { customId: 'days', values: ['mon'] } },
      { component: { customId: 'time', value: ' 9am ' } },
      { components: [{ customId: 'timezone', value: 'UTC' }] },
    ]);
    expect(values).toEqual({ routine: ['neck'], days: ['mon'], time: ['9am'], timezone: ['UTC'] });
  });
});
