/**
 * `npm run images`: every exercise's still (PNG) and animation (GIF) into docs/pictures/, and
 * the gallery sheet into docs/gallery.png, so people can browse the pictures in the repository.
 * Run it after changing a pose or the renderer, and commit the result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCatalogue } from '../src/content/loader.js';
import { gallerySvg } from '../src/pictures/gallery.js';
import { poseToGif, poseToPng, svgToPng } from '../src/pictures/raster.js';

const root = resolve(import.meta.dirname, '..');
const catalogue = loadCatalogue(join(root, 'content'));
for (const warning of catalogue.warnings) console.warn(`warning: ${warning}`);

const out = join(root, 'docs/pictures');
mkdirSync(out, { recursive: true });
// In file-name order, the order the loader reads them.
const ordered = [...catalogue.exercises.values()];
const items: Array<{ name: string; pose: NonNullable<(typeof ordered)[number]['pose']> }> = [];
for (const ex of ordered) {
  if (!ex.pose) continue;
  const png = poseToPng(ex.pose);
  const gif = poseToGif(ex.pose);
  writeFileSync(join(out, `${ex.id}.png`), png);
  writeFileSync(join(out, `${ex.id}.gif`), gif);
  items.push({ name: ex.name, pose: ex.pose });
  console.log(`${ex.id.padEnd(22)} png ${(png.length / 1024).toFixed(0).padStart(4)} KB   gif ${(gif.length / 1024).toFixed(0).padStart(4)} KB`);
}
writeFileSync(join(root, 'docs/gallery.png'), svgToPng(gallerySvg(items), 1664));
console.log(`wrote ${items.length} pictures to docs/pictures/ and docs/gallery.png`);
