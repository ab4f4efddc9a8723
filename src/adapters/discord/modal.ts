/**
 * Form → Discord modal (interaction response type 9), and a modal submission's components →
 * the form's answers. Pure. Selects sit inside Label components (allowed in modals); a choice
 * list longer than a select can hold (time zones) becomes a text input, prefilled.
 */
import type { Form, FormField, FormName, FormValues } from '../../core/forms/form.js';
import { FORM_NAMES } from '../../core/forms/form.js';
import { clip } from '../shared/text.js';

/** Modal title. */
export const MAX_MODAL_TITLE = 45;
/** Top-level components of a modal. */
export const MAX_MODAL_COMPONENTS = 5;
/** A Label's text. */
export const MAX_LABEL = 45;
/** Options of a string select. */
export const MAX_SELECT_OPTIONS = 25;
/** Option label and value. */
export const MAX_OPTION = 100;
export const FORM_ID_PREFIX = 'form:';

/** Discord API component types used here. */
const TEXT_INPUT = 4;
const STRING_SELECT = 3;
const LABEL = 18;
const SHORT = 1;
const CHANNEL_SELECT = 8;
const GUILD_TEXT = 0;

type Json = Record<string, unknown>;

function component(f: FormField): Json {
  if (f.kind === 'channel') return { type: CHANNEL_SELECT, custom_id: f.id, required: !f.optional, channel_types: [GUILD_TEXT] };
  const choices = f.kind === 'select' || f.kind === 'multi' ? f.choices : undefined;
  if (choices && choices.length <= MAX_SELECT_OPTIONS) {
    const initial = f.kind === 'multi' ? (f.initial ?? []) : f.kind === 'select' && f.initial ? [f.initial] : [];
    return {
      type: STRING_SELECT,
      custom_id: f.id,
      required: !f.optional,
      min_values: f.optional ? 0 : 1,
      max_values: f.kind === 'multi' ? choices.length : 1,
      options: choices.map((c) => ({ label: clip(c.label, MAX_OPTION), value: c.value, default: initial.includes(c.value) })),
    };
  }
  const initial = f.kind === 'multi' ? f.initial?.join(',') : f.initial;
  return {
    type: TEXT_INPUT,
    custom_id: f.id,
    style: SHORT,
    required: !f.optional,
    max_length: f.kind === 'text' ? f.maxLength : 64,
    ...(initial ? { value: initial } : {}),
    ...(f.kind === 'time' ? { placeholder: 'HH:MM, e.g. 10:30 or 3:15pm' } : f.kind === 'text' && f.placeholder ? { placeholder: clip(f.placeholder, 100) } : {}),
  };
}

export function formToModal(form: Form): { custom_id: string; title: string; components: Json[] } {
  return {
    custom_id: `${FORM_ID_PREFIX}${form.name}`,
    title: clip(form.title, MAX_MODAL_TITLE),
    components: form.fields.slice(0, MAX_MODAL_COMPONENTS).map((f) => ({ type: LABEL, label: clip(f.label, MAX_LABEL), component: component(f) })),
  };
}

export function formNameOf(customId: string): FormName | undefined {
  const name = customId.startsWith(FORM_ID_PREFIX) ? customId.slice(FORM_ID_PREFIX.length) : undefined;
  return FORM_NAMES.find((n) => n === name);
}

/** A submitted component as discord.js hands it over (Labels hold one, action rows several). */
export interface SubmittedComponent {
  customId?: string;
  value?: string;
  values?: readonly string[];
  component?: SubmittedComponent;
  components?: readonly SubmittedComponent[];
}

/** The answers by field id: a select gives its values, a text input its text (split for a multi field). */
export function modalValues(components: readonly SubmittedComponent[] | undefined): FormValues {
  const out: FormValues = {};
  const visit = (c: SubmittedComponent) => {
    if (c.component) visit(c.component);
    for (const child of c.components ?? []) visit(child);
    if (!c.customId) return;
    if (c.values) out[c.customId] = c.values.map((v) => v.slice(0, 200));
    else if (typeof c.value === 'string') out[c.customId] = c.value.includes(',') ? c.value.split(',').map((v) => v.trim().toLowerCase()) : [c.value.trim()];
  };
  for (const c of components ?? []) visit(c);
  return out;
}
