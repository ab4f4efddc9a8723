/** Replies → the screen. The terminal has one conversation: every reply is printed in order. */
import type { Button, Card, Reply } from '../../core/card.js';
import type { Capabilities } from '../../core/incoming.js';
import type { ColorMode } from '../../pictures/terminal-art.js';
import { cardPicture, type PictureSource } from '../shared/pictures.js';
import { renderReply, type TerminalPicture } from './render.js';

/** The terminal cannot post to channels or DM anyone; nobody here is an admin of anything. */
export const TERMINAL_CAPABILITIES: Capabilities = { messaging: false, admins: 'chat workspace admins' };

/** Columns of the text-art picture: small beside the instructions, well inside 80. */
export const ART_COLUMNS = 40;

/** Where the terminal finds pictures: the picture store fits. */
export interface TerminalPictureSource extends PictureSource {
  terminalArt(key: string, opts: { columns: number; color: ColorMode }): Promise<string | undefined>;
}

/** The card's picture as text art (drawn on first use, then kept by the store). */
export async function terminalPicture(card: Card, source: TerminalPictureSource | undefined, color: ColorMode): Promise<TerminalPicture | undefined> {
  const picture = cardPicture(card, source);
  if (!picture || !source) return undefined;
  const art = await source.terminalArt(card.image!.key, { columns: ART_COLUMNS, color });
  return art === undefined ? undefined : { art, alt: picture.alt, gifPath: picture.path };
}

/** Prints the replies (with their pictures, in the same order) and returns the buttons the next typed line can press. */
export function printReplies(
  replies: readonly Reply[],
  print: (text: string) => void,
  current: readonly Button[],
  pictures: readonly (TerminalPicture | undefined)[] = [],
): readonly Button[] {
  let buttons = current;
  replies.forEach((reply, i) => {
    print(renderReply(reply, pictures[i]));
    // A card without buttons (a notice, a list) leaves the previous choices in place.
    if (reply.card.buttons?.length) buttons = reply.card.buttons;
    else if (reply.target === 'update') buttons = [];
  });
  return buttons;
}
