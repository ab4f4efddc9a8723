/** Text helpers every adapter uses. */
import type { Card } from '../../core/card.js';

/** Shortens text to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** More names than this read as a wall: the rest are counted ("and 12 more"). */
export const PEOPLE_SHOWN_MAX = 40;

/**
 * A card's people as one line, each id turned into the platform's mention by `mention`
 * (undefined for an id the platform could not have sent, which is left out).
 */
export function peopleLine(people: NonNullable<Card['people']>, mention: (userId: string) => string | undefined): string {
  const named = people.entries.flatMap((e) => {
    const m = mention(e.userId);
    return m ? [e.note ? `${m} (${e.note})` : m] : [];
  });
  const shown = named.slice(0, PEOPLE_SHOWN_MAX);
  const more = named.length - shown.length;
  return `${people.label}: ${shown.join(', ') || 'nobody'}${more > 0 ? `, and ${more} more` : ''}`;
}
