/**
 * Compact, parseable button ids. Every id fits in 100 characters (the tightest button-id
 * limit of the chat platforms) and is validated strictly when it comes back,
 * because a click payload is user-controlled input.
 */

export const ACTION_ID_MAX = 100;

/** `easier` and `never` (skip it from now on) are offered after "It hurts"; `timer` starts a hold timer. */
export const SESSION_VERBS = ['next', 'back', 'skip', 'pause', 'resume', 'stop', 'hurt', 'done', 'easier', 'never', 'timer'] as const;
export type SessionVerb = (typeof SESSION_VERBS)[number];

export const PROMPT_VERBS = ['dm', 'join', 'snooze', 'skipday'] as const;
export type PromptVerb = (typeof PROMPT_VERBS)[number];

import { FORM_NAMES, type FormName } from './forms/form.js';
import { GROUP_VERBS, type GroupVerb } from './group-session.js';

export type ActionRef =
  | { kind: 'session'; sessionId: string; step: number; verb: SessionVerb }
  | { kind: 'pick'; routineId: string; inDm: boolean }
  | { kind: 'prompt'; promptId: string; verb: PromptVerb }
  /** A button on a live group session's channel message. */
  | { kind: 'group'; groupId: string; verb: GroupVerb }
  /** Takes an exercise off the clicker's own skip list. */
  | { kind: 'restore'; exerciseId: string }
  /** Opens a form (the command it fills in is run without arguments). */
  | { kind: 'form'; form: FormName }
  /** A settings button of the person's home view; `arg` names the channel or reminder. */
  | { kind: 'home'; verb: HomeVerb; arg?: string };

export const HOME_VERBS = ['pause', 'resume', 'optout', 'unremind', 'shoutouts'] as const;
export type HomeVerb = (typeof HOME_VERBS)[number];

const ID = '[a-z0-9][a-z0-9-]{0,59}';
const SESSION_RE = new RegExp(`^s:(${ID}):(\\d{1,3}):([a-z]+)$`);
const PICK_RE = new RegExp(`^pick:(here|dm):(${ID})$`);
const PROMPT_RE = new RegExp(`^p:(${ID}):([a-z]+)$`);
const GROUP_RE = new RegExp(`^g:(${ID}):([a-z]+)$`);
const RESTORE_RE = new RegExp(`^restore:(${ID})$`);
const FORM_RE = /^f:([a-z]+)$/;
const HOME_RE = /^h:([a-z]+)(?::([A-Za-z0-9._-]{1,64}))?$/;

export function encodeAction(ref: ActionRef): string {
  switch (ref.kind) {
    case 'session':
      return `s:${ref.sessionId}:${ref.step}:${ref.verb}`;
    case 'pick':
      return `pick:${ref.inDm ? 'dm' : 'here'}:${ref.routineId}`;
    case 'prompt':
      return `p:${ref.promptId}:${ref.verb}`;
    case 'group':
      return `g:${ref.groupId}:${ref.verb}`;
    case 'restore':
      return `restore:${ref.exerciseId}`;
    case 'form':
      return `f:${ref.form}`;
    case 'home':
      return `h:${ref.verb}${ref.arg ? `:${ref.arg}` : ''}`;
  }
}

/** Returns undefined for anything that is not an id this bot could have drawn. */
export function decodeAction(id: string): ActionRef | undefined {
  if (typeof id !== 'string' || id.length === 0 || id.length > ACTION_ID_MAX) return undefined;
  let m = SESSION_RE.exec(id);
  if (m) {
    const verb = m[3] as SessionVerb;
    if (!SESSION_VERBS.includes(verb)) return undefined;
    return { kind: 'session', sessionId: m[1]!, step: Number(m[2]), verb };
  }
  m = PICK_RE.exec(id);
  if (m) return { kind: 'pick', inDm: m[1] === 'dm', routineId: m[2]! };
  m = PROMPT_RE.exec(id);
  if (m) {
    const verb = m[2] as PromptVerb;
    if (!PROMPT_VERBS.includes(verb)) return undefined;
    return { kind: 'prompt', promptId: m[1]!, verb };
  }
  m = GROUP_RE.exec(id);
  if (m) {
    const verb = m[2] as GroupVerb;
    if (!GROUP_VERBS.includes(verb)) return undefined;
    return { kind: 'group', groupId: m[1]!, verb };
  }
  m = RESTORE_RE.exec(id);
  if (m) return { kind: 'restore', exerciseId: m[1]! };
  m = FORM_RE.exec(id);
  if (m && (FORM_NAMES as readonly string[]).includes(m[1]!)) return { kind: 'form', form: m[1] as FormName };
  m = HOME_RE.exec(id);
  if (m && (HOME_VERBS as readonly string[]).includes(m[1]!)) return { kind: 'home', verb: m[1] as HomeVerb, ...(m[2] ? { arg: m[2] } : {}) };
  return undefined;
}
