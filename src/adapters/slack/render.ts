/**
 * Card → Block Kit. Pure. Every Slack limit the renderer can hit is a named constant here and
 * is enforced: long text is split over several blocks or trimmed, so Slack never rejects a
 * message with `invalid_blocks`.
 */
import type { Button, Card } from '../../core/card.js';
import { cardToPlainText, utcClock } from '../shared/plain-text.js';
import { progressLine } from '../../core/progress.js';
import type { ActionsBlock, Button as ButtonElement, ContextBlock, HeaderBlock, ImageBlock, MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';

/** Blocks in one message. */
export const MAX_BLOCKS = 50;
/** `header` block text (plain_text). */
export const MAX_HEADER_TEXT = 150;
/** `section` block text. */
export const MAX_SECTION_TEXT = 3000;
/** Items in a section's `fields`. */
export const MAX_SECTION_FIELDS = 10;
/** Text of one section field. */
export const MAX_FIELD_TEXT = 2000;
/** Elements in a `context` block. */
export const MAX_CONTEXT_ELEMENTS = 10;
/** Text of one context element (a text object's limit). */
export const MAX_CONTEXT_TEXT = 3000;
/** Elements in an `actions` block. */
export const MAX_ACTIONS_ELEMENTS = 25;
/** Button label (plain_text). */
export const MAX_BUTTON_TEXT = 75;
/** Button `action_id`. */
export const MAX_ACTION_ID = 255;
/** Button `value`. */
export const MAX_BUTTON_VALUE = 2000;
/** The top-level `text` (notification and screen-reader fallback). Slack truncates long text; keep it short. */
export const MAX_FALLBACK_TEXT = 3000;
/** An image block's `image_url`. */
export const MAX_IMAGE_URL = 3000;
/** An image block's `alt_text`. */
export const MAX_ALT_TEXT = 2000;
/** More buttons than this many actions blocks is not a usable message; the rest are dropped. */
export const MAX_ACTIONS_BLOCKS = 4;

export const TRIMMED_NOTE = '… (shortened to fit in one Slack message)';

/** The Block Kit shapes this renderer produces, in @slack/types' own types. */
export type Block = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | ImageBlock;

/** A card's picture as Slack loads it: a public URL (the bot's own /images/ route) and its alt text. */
export interface SlackImage {
  url: string;
  alt: string;
}

export interface BlockKitMessage {
  text: string;
  blocks: Block[];
}

/** Slack's mrkdwn treats these three as control characters (`<…>` is a link or mention). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, escapeChar);
}

const escapeChar = (ch: string): string => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch);

/** Cuts plain text to `max` UTF-16 units, ending with an ellipsis when cut; never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

/** Escapes and cuts to `max` escaped characters, never inside an entity such as `&amp;`. */
export function truncateEscaped(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const ch of text) {
    const e = escapeChar(ch);
    if (out.length + e.length > max - 1) break;
    out += e;
  }
  return `${out.trimEnd()}…`;
}

/**
 * Cuts an already escaped line into pieces of at most `max` characters, at the last space
 * before the limit when there is one, and never inside an entity or a surrogate pair.
 */
function cutLine(escaped: string, max: number): string[] {
  const out: string[] = [];
  let rest = escaped;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    if (space >= 0) {
      out.push(rest.slice(0, space).trimEnd());
      rest = rest.slice(space + 1);
      continue;
    }
    let cut = max;
    const amp = rest.lastIndexOf('&', cut - 1);
    if (amp >= 0 && amp + (rest.startsWith('&amp;', amp) ? 5 : 4) > cut) cut = amp;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  out.push(rest);
  return out;
}

/**
 * Escapes `text` and splits it into chunks of at most `max` characters: at line breaks where
 * possible, then at spaces, then anywhere (never inside an entity or a surrogate pair).
 * Blank chunks are dropped, since Slack rejects empty text.
 */
export function splitEscaped(text: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) out.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const escaped = escapeMrkdwn(line);
    const joined = current ? `${current}\n${escaped}` : escaped;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    flush();
    if (escaped.length <= max) {
      current = escaped;
      continue;
    }
    // One line longer than a block: cut it into pieces.
    const pieces = cutLine(escaped, max);
    current = pieces.pop() ?? '';
    for (const piece of pieces) if (piece.trim()) out.push(piece);
  }
  flush();
  return out;
}

const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function contextBlocks(texts: string[]): ContextBlock[] {
  return chunksOf(texts, MAX_CONTEXT_ELEMENTS).map((group) => ({ type: 'context', elements: group.map(mrkdwn) }));
}

function buttonElement(b: Button): ButtonElement {
  const el: ButtonElement = {
    type: 'button',
    action_id: b.id,
    value: b.id.slice(0, MAX_BUTTON_VALUE),
    text: plain(truncate(b.label.replace(/\s+/g, ' ').trim() || 'Choose', MAX_BUTTON_TEXT)),
  };
  if (b.style === 'primary' || b.style === 'success') el.style = 'primary';
  else if (b.style === 'danger') el.style = 'danger';
  return el;
}

function actionsBlocks(buttons: readonly Button[]): ActionsBlock[] {
  // An id Slack would reject (too long, empty, or repeated in the message) could never be
  // clicked anyway, so such a button is left out rather than failing the whole message.
  const seen = new Set<string>();
  const usable = buttons.filter((b) => {
    if (!b.id || b.id.length > MAX_ACTION_ID || seen.has(b.id)) return false;
    seen.add(b.id);
    return true;
  });
  return chunksOf(usable, MAX_ACTIONS_ELEMENTS)
    .slice(0, MAX_ACTIONS_BLOCKS)
    .map((group) => ({ type: 'actions', elements: group.map(buttonElement) }));
}

function fieldText(label: string, value: string): string {
  const head = `*${truncateEscaped(label.replace(/\s+/g, ' ').trim(), 200)}*\n`;
  return head + truncateEscaped(value.trim() || '-', MAX_FIELD_TEXT - head.length);
}

/**
 * Slack shows `<!date^…>` in each reader's own time zone (the fallback after `|` where it
 * cannot); it does not count down, so the seconds are said too.
 */
export function slackTimerText(timer: NonNullable<Card['timer']>): string {
  const unix = Math.floor(timer.endsAt / 1000);
  return `⏱ Ends at <!date^${unix}^{time_secs}|${utcClock(timer.endsAt)}> (${timer.seconds} s)`;
}

/** The picture under the title; none for a URL Slack would refuse (it would refuse the whole message). */
function imageBlock(image: SlackImage): ImageBlock | undefined {
  if (!/^https?:\/\//.test(image.url) || image.url.length > MAX_IMAGE_URL) return undefined;
  return { type: 'image', image_url: image.url, alt_text: truncate(image.alt.replace(/\s+/g, ' ').trim() || 'Exercise picture', MAX_ALT_TEXT) };
}

export function cardToBlockKit(card: Card, image?: SlackImage): BlockKitMessage {
  const progress = card.progress ? progressLine(card.progress.current, card.progress.total) : undefined;

  const head: Block[] = [{ type: 'header', text: plain(truncate(card.title.replace(/\s+/g, ' ').trim() || 'Stretch coach', MAX_HEADER_TEXT)) }];
  if (progress) head.push(...contextBlocks([truncateEscaped(progress, MAX_CONTEXT_TEXT)]));
  const picture = image && imageBlock(image);
  if (picture) head.push(picture);

  let body: Block[] = [];
  for (const section of card.sections) {
    for (const chunk of splitEscaped(section, MAX_SECTION_TEXT)) body.push({ type: 'section', text: mrkdwn(chunk) });
  }
  if (card.timer) body.push({ type: 'section', text: mrkdwn(slackTimerText(card.timer)) });
  if (card.fields?.length) {
    for (const group of chunksOf(card.fields, MAX_SECTION_FIELDS)) {
      body.push({ type: 'section', fields: group.map((f) => mrkdwn(fieldText(f.label, f.value))) });
    }
  }
  if (card.footer) body.push(...contextBlocks(splitEscaped(card.footer, MAX_CONTEXT_TEXT)));

  const tail = actionsBlocks(card.buttons ?? []);
  const room = MAX_BLOCKS - head.length - tail.length;
  if (body.length > room) body = [...body.slice(0, room - 1), ...contextBlocks([escapeMrkdwn(TRIMMED_NOTE)])];

  return {
    text: truncateEscaped(cardToPlainText(card), MAX_FALLBACK_TEXT),
    blocks: [...head, ...body, ...tail],
  };
}

/** Blocks in a Home tab view (Slack: 100). */
export const MAX_HOME_BLOCKS = 100;

/** The Home tab: each card's blocks, a divider between cards, cut to Slack's block limit. */
export function cardsToHomeView(cards: readonly Card[]): { type: 'home'; blocks: (Block | { type: 'divider' })[] } {
  const blocks: (Block | { type: 'divider' })[] = [];
  for (const card of cards) {
    const next = cardToBlockKit(card).blocks;
    const divider = blocks.length ? 1 : 0;
    if (blocks.length + divider + next.length > MAX_HOME_BLOCKS) break;
    if (divider) blocks.push({ type: 'divider' });
    blocks.push(...next);
  }
  return { type: 'home', blocks };
}
