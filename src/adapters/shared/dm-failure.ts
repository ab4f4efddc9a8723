/** What a person is told when a DM to them failed: the same rule on every platform. */
import { notice, type Card } from '../../core/card.js';
import type { DeliveryError } from '../../core/notifier.js';

/**
 * A permanent failure (DMs closed, user gone) says how to fix it and offers the in-place
 * alternative; a passing one asks to try again. `howToAllow` is the platform's own setting.
 */
export function dmFailedCard(err: DeliveryError, howToAllow: string): Card {
  return err.permanent
    ? notice("I can't DM you", `${howToAllow} Or use /stretch start to stretch right here. (${err.message})`, 'warning')
    : notice("I couldn't DM you", 'The message did not go through just now. Please try again in a moment.', 'warning');
}
