/** Replies → the screen. The terminal has one conversation: every reply is printed in order. */
import type { Button, Reply } from '../../core/card.js';
import type { Capabilities } from '../../core/incoming.js';
import { renderReply } from './render.js';

/** The terminal cannot post to channels or DM anyone; nobody here is an admin of anything. */
export const TERMINAL_CAPABILITIES: Capabilities = { messaging: false, admins: 'chat workspace admins' };

/** Prints the replies and returns the buttons the next typed line can press. */
export function printReplies(replies: readonly Reply[], print: (text: string) => void, current: readonly Button[]): readonly Button[] {
  let buttons = current;
  for (const reply of replies) {
    print(renderReply(reply));
    // A card without buttons (a notice, a list) leaves the previous choices in place.
    if (reply.card.buttons?.length) buttons = reply.card.buttons;
    else if (reply.target === 'update') buttons = [];
  }
  return buttons;
}
