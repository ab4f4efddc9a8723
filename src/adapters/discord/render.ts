/**
 * Card → Discord message JSON. Pure: no client, no I/O. Discord's limits are named below and
 * enforced here (text is cut with an ellipsis, surplus buttons are dropped), so whatever the
 * content says, the API never answers 50035 "Invalid Form Body" to one of our messages.
 *
 * A card's picture is uploaded with the message and shown inside the embed
 * (`attachment://<file>`); the caller resolves the file, so this stays pure.
 */
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIComponentInMessageActionRow, APIEmbed, APIEmbedField, AttachmentPayload } from 'discord.js';
import type { ButtonStyle, Card, Tone } from '../../core/card.js';
import { progressLine } from '../../core/progress.js';
import type { CardPicture } from '../shared/pictures.js';

export const CONTENT_MAX = 2000;
export const EMBED_TITLE_MAX = 256;
export const EMBED_DESCRIPTION_MAX = 4096;
export const EMBED_FIELDS_MAX = 25;
export const EMBED_FIELD_NAME_MAX = 256;
export const EMBED_FIELD_VALUE_MAX = 1024;
export const EMBED_FOOTER_MAX = 2048;
/** Sum of title, description, field names and values, footer text and author name over all embeds. */
export const EMBED_TOTAL_MAX = 6000;
export const ACTION_ROWS_MAX = 5;
export const BUTTONS_PER_ROW_MAX = 5;
export const CUSTOM_ID_MAX = 100;
export const BUTTON_LABEL_MAX = 80;
/** An attachment's `description` (its alt text). */
export const ATTACHMENT_DESCRIPTION_MAX = 1024;

/** Discord's component type numbers (discord-api-types ComponentType). */
const ACTION_ROW = 1;
const BUTTON = 2;

/** Discord button styles: Primary 1, Secondary 2, Success 3, Danger 4. */
export const BUTTON_STYLE = { primary: 1, secondary: 2, success: 3, danger: 4 } as const satisfies Record<ButtonStyle, number>;

/** Discord's own palette: blurple, green, yellow, red. */
export const TONE_COLOUR = { info: 0x5865f2, success: 0x57f287, warning: 0xfee75c, danger: 0xed4245 } as const satisfies Record<Tone, number>;

/** Discord rejects empty field names and values; a zero-width space is its documented stand-in. */
const BLANK = '\u200b';
const ELLIPSIS = '…';

export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Uploaded with the message: the card's picture, which its embed shows. */
  files: AttachmentPayload[];
  /**
   * Attachments the message keeps besides `files`: none. On an edit Discord keeps only what is
   * listed here, so a step change replaces the old picture instead of piling pictures up, and a
   * card without a picture drops it. (discord.js adds the entries for `files` to this array.)
   */
  attachments: [];
}

/** Cuts text to `max` characters (UTF-16 units, as Discord counts), ending with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = text.slice(0, max - 1);
  // Never leave half a surrogate pair behind.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut.trimEnd() + ELLIPSIS;
}

export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

export function cardToDiscordMessage(card: Card, picture?: CardPicture): DiscordMessage {
  const files: AttachmentPayload[] = picture
    ? [{ attachment: picture.path, name: picture.file, description: truncate(picture.alt, ATTACHMENT_DESCRIPTION_MAX) }]
    : [];
  return { embeds: [cardToEmbed(card, picture?.file)], components: buttonRows(card), files, attachments: [] };
}

/** Discord counts `<t:…:R>` down live in the client; some clients freeze it, so the clock time sits beside it. */
export function discordTimerText(timer: NonNullable<Card['timer']>): string {
  const unix = Math.floor(timer.endsAt / 1000);
  return `⏱ Ends <t:${unix}:R> (<t:${unix}:T>)`;
}

function cardToEmbed(card: Card, attachedImage: string | undefined): APIEmbed {
  const embed: APIEmbed = {
    title: truncate(card.title || BLANK, EMBED_TITLE_MAX),
    color: TONE_COLOUR[card.tone ?? 'info'],
  };
  // An embed has no alt text of its own: the attachment's description carries it.
  if (attachedImage) embed.image = { url: `attachment://${attachedImage}` };
  const fields: APIEmbedField[] = (card.fields ?? []).slice(0, EMBED_FIELDS_MAX).map((f) => ({
    name: truncate(f.label || BLANK, EMBED_FIELD_NAME_MAX),
    value: truncate(f.value || BLANK, EMBED_FIELD_VALUE_MAX),
  }));
  if (fields.length) embed.fields = fields;
  if (card.footer) embed.footer = { text: truncate(card.footer, EMBED_FOOTER_MAX) };

  const paragraphs = card.sections.filter((s) => s.length > 0);
  if (card.progress) paragraphs.unshift(progressLine(card.progress.current, card.progress.total));
  if (card.timer) paragraphs.push(discordTimerText(card.timer));
  const description = paragraphs.join('\n\n');
  if (description) {
    // The description gets whatever the 6000-character message budget leaves after the rest.
    const room = Math.min(EMBED_DESCRIPTION_MAX, EMBED_TOTAL_MAX - embedLength(embed));
    if (room > 0) embed.description = truncate(description, room);
  }
  // Only pathological fields can still overflow; drop them from the end until it fits.
  while (embedLength(embed) > EMBED_TOTAL_MAX && embed.fields?.length) embed.fields.pop();
  if (embed.fields?.length === 0) delete embed.fields;
  return embed;
}

function buttonRows(card: Card): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const seen = new Set<string>();
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const b of card.buttons ?? []) {
    // An id Discord would refuse (or a duplicate, which it also refuses) cannot be clicked: leave it out.
    if (!b.id || b.id.length > CUSTOM_ID_MAX || seen.has(b.id)) continue;
    if (buttons.length === ACTION_ROWS_MAX * BUTTONS_PER_ROW_MAX) break;
    seen.add(b.id);
    buttons.push({ type: BUTTON, style: BUTTON_STYLE[b.style] ?? BUTTON_STYLE.secondary, custom_id: b.id, label: truncate(b.label || BLANK, BUTTON_LABEL_MAX) });
  }
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW_MAX) {
    rows.push({ type: ACTION_ROW, components: buttons.slice(i, i + BUTTONS_PER_ROW_MAX) });
  }
  return rows;
}
