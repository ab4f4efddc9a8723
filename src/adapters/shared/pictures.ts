/**
 * The picture behind a card's image reference, looked up the same way on every platform. The
 * core only names an exercise (`card.image.key`); the composition root hands each adapter the
 * picture store, and a renderer gets the resolved file so it can stay pure.
 */
import type { Card } from '../../core/card.js';
import type { ChartData } from '../../core/habits/chart.js';
import type { ChartFile } from '../../pictures/chart-store.js';
import type { Picture } from '../../pictures/store.js';

/** Where adapters find pictures: the picture store fits, and the chart store adds charts. */
export interface PictureSource {
  get(key: string): Pick<Picture, 'gifFile' | 'gifPath'> | undefined;
  /** A habit chart's picture file (drawn by the chart store). */
  chart?(data: ChartData): ChartFile | undefined;
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

/** MIME type of a picture file by its name: exercise animations are GIFs, charts PNGs. */
export const contentTypeOf = (file: string): string => (file.endsWith('.png') ? 'image/png' : PICTURE_CONTENT_TYPE);

/** The card's picture, if it asks for one and the store has it (an exercise without a pose has none). */
export function cardPicture(card: Card, source: PictureSource | undefined): CardPicture | undefined {
  if (card.chart) {
    const chart = source?.chart?.(card.chart.data);
    return chart ? { file: chart.file, path: chart.path, alt: card.chart.alt } : undefined;
  }
  if (!card.image || !source) return undefined;
  const picture = source.get(card.image.key);
  return picture ? { file: picture.gifFile, path: picture.gifPath, alt: card.image.alt } : undefined;
}
