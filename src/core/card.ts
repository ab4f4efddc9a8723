import type { Form } from './forms/form.js';

/**
 * The platform-neutral reply model. Adapters render a Card with a pure function;
 * the core never knows what Block Kit or an embed is.
 */
import type { ChartData } from './habits/chart.js';

export type ButtonStyle = 'primary' | 'secondary' | 'success' | 'danger';

export interface Button {
  /** Compact action id (≤ ACTION_ID_MAX), parsed back by the core when clicked. */
  id: string;
  label: string;
  style: ButtonStyle;
}

export interface Field {
  label: string;
  value: string;
}

export interface Progress {
  current: number;
  total: number;
}

export type Tone = 'info' | 'success' | 'warning' | 'danger';

/** A chart to draw with the card: the numbers, and the same numbers in words (alt text). */
export interface CardChart {
  data: ChartData;
  alt: string;
}

/**
 * A picture to show with the card, by reference: the core names the exercise and says what
 * the picture shows; each adapter looks the file up and shows it the way its platform can.
 */
export interface CardImage {
  /** The exercise whose picture this is. */
  key: string;
  /** What the picture shows, in words (from the content), for screen readers and text-only places. */
  alt: string;
}

export interface Card {
  title: string;
  /** Paragraphs of plain text; lines inside a paragraph are kept. */
  sections: string[];
  fields?: Field[];
  progress?: Progress;
  /** Small print under the card (safety reminder, hints). */
  footer?: string;
  buttons?: Button[];
  tone?: Tone;
  /**
   * A running hold timer: renderers show when it ends in the platform's own way (a client
   * may count down live); the message is edited once when the time is up.
   */
  timer?: { endsAt: number; seconds: number };
  image?: CardImage;
  chart?: CardChart;
  /**
   * People named on the card (a group session's participants): renderers turn each id into
   * the platform's mention, which shows a name without notifying anyone.
   */
  people?: People;
}

export interface People {
  label: string;
  entries: { userId: string; note?: string }[];
}

/**
 * Where a reply goes:
 * - `ephemeral`: only the invoker sees it (a new message).
 * - `update`: replaces the message whose button was clicked.
 * - `dm`: a new message in the invoker's direct messages.
 * - `channel`: a new message everyone in the channel sees.
 * - `form`: opens `form` for the invoker (only on platforms that declare forms); `card` says
 *   what to type instead, for anywhere the form cannot open.
 */
export type ReplyTarget = 'ephemeral' | 'update' | 'dm' | 'channel' | 'form';

export interface Reply {
  target: ReplyTarget;
  card: Card;
  form?: Form;
  /**
   * Asks the adapter to say where this message was posted (Coach.messagePosted with this tag
   * and the same kind of address a click on it gives), so it can be edited before anyone
   * clicks on it. A group session's channel message carries it.
   */
  remember?: PostedTag;
}

/** What a posted message is: the channel message of this group session. */
export interface PostedTag {
  kind: 'group';
  id: string;
}

export const formReply = (form: Form, instead: Card): Reply => ({ target: 'form', card: instead, form });

export const ephemeral = (card: Card): Reply => ({ target: 'ephemeral', card });
export const update = (card: Card): Reply => ({ target: 'update', card });
export const dm = (card: Card): Reply => ({ target: 'dm', card });
export const channel = (card: Card): Reply => ({ target: 'channel', card });

/** Replies turned into edits of the clicked message (a picker or a DM prompt becoming step 1). */
export const inPlace = (replies: Reply[]): Reply[] =>
  replies.map((r) => (r.target === 'ephemeral' || r.target === 'channel' ? update(r.card) : r));

/** A short notice card (errors, confirmations). */
export function notice(title: string, text: string, tone: Tone = 'info'): Card {
  return { title, sections: [text], tone };
}
