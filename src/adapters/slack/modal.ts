/**
 * Form → Slack modal view, and a `view_submission`'s state → the form's answers. Pure. The
 * modal's `private_metadata` remembers the conversation the form was opened from.
 */
import type { Form, FormField, FormName, FormValues } from '../../core/forms/form.js';
import { FORM_NAMES } from '../../core/forms/form.js';
import { truncate } from './render.js';

/** Modal title and button texts. */
export const MAX_VIEW_TITLE = 24;
/** Options of a static select. */
export const MAX_SELECT_OPTIONS = 100;
/** Options of a checkbox group. */
export const MAX_CHECKBOXES = 10;
/** Text of an option. */
export const MAX_OPTION_TEXT = 75;
export const FORM_CALLBACK_PREFIX = 'stretch_form:';

export interface FormOrigin {
  channelId: string;
  isDm: boolean;
}

type Json = Record<string, unknown>;
const plain = (text: string, max = 2000) => ({ type: 'plain_text', text: truncate(text, max) });
const option = (c: { value: string; label: string }) => ({ text: plain(c.label, MAX_OPTION_TEXT), value: c.value });

function element(f: FormField): Json {
  switch (f.kind) {
    case 'select': {
      const choices = f.choices.slice(0, MAX_SELECT_OPTIONS);
      const initial = choices.find((c) => c.value === f.initial);
      return { type: 'static_select', action_id: f.id, options: choices.map(option), ...(initial ? { initial_option: option(initial) } : {}) };
    }
    case 'multi': {
      const choices = f.choices.slice(0, MAX_CHECKBOXES);
      const initial = choices.filter((c) => f.initial?.includes(c.value));
      return { type: 'checkboxes', action_id: f.id, options: choices.map(option), ...(initial.length ? { initial_options: initial.map(option) } : {}) };
    }
    case 'time':
      return { type: 'timepicker', action_id: f.id, ...(f.initial ? { initial_time: f.initial } : {}) };
    case 'channel':
      return { type: 'conversations_select', action_id: f.id, filter: { include: ['public', 'private'], exclude_bot_users: true } };
    case 'text':
      return {
        type: 'plain_text_input',
        action_id: f.id,
        max_length: f.maxLength,
        ...(f.initial ? { initial_value: f.initial } : {}),
        ...(f.placeholder ? { placeholder: plain(f.placeholder, 150) } : {}),
      };
  }
}

export function formToModal(form: Form, origin: FormOrigin): Json {
  return {
    type: 'modal',
    callback_id: `${FORM_CALLBACK_PREFIX}${form.name}`,
    title: plain(form.title, MAX_VIEW_TITLE),
    submit: plain(form.submit, MAX_VIEW_TITLE),
    close: plain('Cancel', MAX_VIEW_TITLE),
    private_metadata: JSON.stringify(origin),
    blocks: form.fields.map((f) => ({ type: 'input', block_id: f.id, label: plain(f.label), optional: Boolean(f.optional), element: element(f) })),
  };
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Which form a view belongs to, from its callback id. */
export function formNameOf(callbackId: unknown): FormName | undefined {
  const name = str(callbackId)?.startsWith(FORM_CALLBACK_PREFIX) ? str(callbackId)!.slice(FORM_CALLBACK_PREFIX.length) : undefined;
  return FORM_NAMES.find((n) => n === name);
}

/** The origin a modal carries; payloads are user-controlled, so anything odd is no origin. */
export function originOf(privateMetadata: unknown): FormOrigin | undefined {
  try {
    const o = JSON.parse(str(privateMetadata) ?? '') as unknown;
    if (isObj(o) && typeof o.channelId === 'string' && /^[A-Za-z0-9]{0,64}$/.test(o.channelId)) return { channelId: o.channelId, isDm: o.isDm === true };
  } catch {
    // not ours
  }
  return undefined;
}

/** `view.state.values` → answers by block id (each form field is one input block). */
export function stateToValues(state: unknown): FormValues {
  const values: FormValues = {};
  const blocks = isObj(state) && isObj(state.values) ? state.values : {};
  for (const [blockId, actions] of Object.entries(blocks)) {
    if (!isObj(actions)) continue;
    const a = Object.values(actions)[0];
    if (!isObj(a)) continue;
    const picked = isObj(a.selected_option) ? [str(a.selected_option.value)] : Array.isArray(a.selected_options) ? a.selected_options.map((o) => (isObj(o) ? str(o.value) : undefined)) : [str(a.selected_time) ?? str(a.selected_conversation) ?? str(a.value)];
    values[blockId] = picked.filter((v): v is string => v !== undefined && v !== '').map((v) => v.slice(0, 200));
  }
  return values;
}
