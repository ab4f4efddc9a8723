/**
 * Forms: what a person fills in instead of typing syntax. Platform-neutral data, like cards;
 * each adapter renders a Form as its own kind of dialog and hands the answers back by field id.
 */

export interface Choice {
  value: string;
  label: string;
}

interface FieldBase {
  /** Stable id the answers come back under (also where a problem is shown). */
  id: string;
  label: string;
  optional?: boolean;
}

export type FormField =
  | (FieldBase & { kind: 'select'; choices: Choice[]; initial?: string })
  /** Several of the choices (checkboxes where the platform has them). */
  | (FieldBase & { kind: 'multi'; choices: Choice[]; initial?: string[] })
  /** A time of day, HH:MM. */
  | (FieldBase & { kind: 'time'; initial?: string })
  | (FieldBase & { kind: 'text'; initial?: string; placeholder?: string; maxLength: number })
  /** A conversation of the workspace (the platform's own picker). */
  | (FieldBase & { kind: 'channel' });

export const FORM_NAMES = ['schedule', 'settings', 'remind'] as const;
export type FormName = (typeof FORM_NAMES)[number];

/** The command each form fills in: the form is that command's options, asked for one by one. */
export const FORM_COMMAND: Record<FormName, string> = { schedule: 'schedule add', remind: 'remind add', settings: 'settings' };

export interface Form {
  name: FormName;
  /** Short: platforms cap dialog titles at 24 characters (the tightest). */
  title: string;
  submit: string;
  fields: FormField[];
}

/** Answers by field id; a single choice, a time or a text is a one-item list, nothing is empty. */
export type FormValues = Record<string, string[]>;

export const first = (values: FormValues, id: string): string => (values[id]?.[0] ?? '').trim();
