/**
 * The picture behind a card's image reference, looked up the same way on every platform. The
 * core only names an exercise (`card.image.key`); the composition root hands each adapter the
 * picture store, and a renderer gets the resolved file so it can stay pure.
 */
import type { Card } from '../../core/card.js';
import type { Picture } from '../../pictures/store.js';

/** Where adapters find pictures: the picture store fits. */
export interface PictureSource {
  get(key: string): Pick<Picture, 'gifFile' | 'gifPath'> | undefined;
}

/** The animated picture of a card, resolved: what every platform shows. */
export interface CardPicture {
  /** File name (carries the content hash): an attachment's name, the last part of an image URL. */
  file: string;
  /** Where the file is on disk. */
  path: string;
  /** What it shows, in words, from the content. */
  alt: string;
}

/** MIME type of the animated picture every platform gets. */
export const PICTURE_CONTENT_TYPE = 'image/gif';

/** The card's picture, if it asks for one and the store has it (an exercise without a pose has none). */
export function cardPicture(card: Card, source: PictureSource | undefined): CardPicture | undefined {
  if (!card.image || !source) return undefined;
  const picture = source.get(card.image.key);
  return picture ? { file: picture.gifFile, path: picture.gifPath, alt: card.image.alt } : undefined;
}
