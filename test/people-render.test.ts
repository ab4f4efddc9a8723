/** A card's people (a group session's participants) on each platform: mentions, count, bad ids left out. */
import { describe, expect, it } from 'vitest';
import type { Card } from '../src/core/card.js';
import { cardToDiscordMessage } from '../src/adapters/discord/render.js';
import { cardToPlainText } from '../src/adapters/shared/plain-text.js';
import { PEOPLE_SHOWN_MAX } from '../src/adapters/shared/text.js';
import { cardToBlockKit } from '../src/adapters/slack/render.js';

const card = (ids: string[]): Card => ({
  title: 'Neck Rolls',
  sections: ['Roll slowly.'],
  people: { label: 'Taking part (3)', entries: ids.map((userId, i) => (i === 0 ? { userId, note: 'host' } : { userId })) },
});

describe('people on a card', () => {
  it('Discord: snowflake mentions in the embed, the host marked; an id that is not a snowflake is left out', () => {
    const msg = cardToDiscordMessage(card(['111', '222', '@everyone']));
    expect(msg.embeds?.[0]?.description).toContain('Taking part (3): <@111> (host), <@222>');
    expect(msg.embeds?.[0]?.description).not.toContain('everyone');
  });

  it('Slack: user mentions in a section (not escaped), the label in bold; anything else is left out', () => {
    const { blocks } = cardToBlockKit(card(['U111', 'W222', '<!channel>']));
    const texts = blocks.flatMap((b) => ('text' in b && b.text ? [b.text.text] : []));
    expect(texts).toContain('*Taking part (3)*: <@U111> (host), <@W222>');
    expect(texts.join(' ')).not.toContain('!channel');
  });

  it('plain text names the ids as they are; a long list is counted, not spelled out', () => {
    expect(cardToPlainText(card(['me', 'you']))).toContain('Taking part (3): me (host), you');
    const many = Array.from({ length: PEOPLE_SHOWN_MAX + 5 }, (_, i) => `u${i}`);
    expect(cardToPlainText(card(many))).toContain(', and 5 more');
  });
});
