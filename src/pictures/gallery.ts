/**
 * The gallery sheet: every exercise's still picture with its name underneath, in a grid
 * (pure SVG; `npm run images` rasterises it to docs/gallery.png). Nesting each picture's own
 * SVG keeps the sheet identical to the pictures people see in chat.
 */
import type { Pose } from './pose.js';
import { FONT_FAMILY, poseToSvg, VIEW_HEIGHT, VIEW_WIDTH } from './svg.js';

const COLUMNS = 4;
const GAP = 16;
const LABEL = 34;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

export function gallerySvg(items: ReadonlyArray<{ name: string; pose: Pose }>): string {
  const rows = Math.ceil(items.length / COLUMNS);
  const width = COLUMNS * VIEW_WIDTH + (COLUMNS + 1) * GAP;
  const height = rows * (VIEW_HEIGHT + LABEL) + (rows + 1) * GAP;
  const cells = items.map((item, i) => {
    const x = GAP + (i % COLUMNS) * (VIEW_WIDTH + GAP);
    const y = GAP + Math.floor(i / COLUMNS) * (VIEW_HEIGHT + LABEL + GAP);
    const picture = poseToSvg(item.pose).replace('<svg ', `<svg x="${x}" y="${y}" `);
    const label = `<text x="${x + VIEW_WIDTH / 2}" y="${y + VIEW_HEIGHT + LABEL - 8}" text-anchor="middle" font-family="${FONT_FAMILY}" font-weight="bold" font-size="22" fill="#3a2e25">${escapeXml(item.name)}</text>`;
    return picture + label;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#ffffff"/>${cells.join('')}</svg>`;
}
