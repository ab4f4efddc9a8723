/**
 * Pictures in `npm run bench`: how long drawing one exercise cold takes (SVG → PNG + GIF), and
 * what a start-up with a warm cache adds compared with loading the catalogue alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogue } from '../src/content/loader.js';
import { poseToGif, poseToPng } from '../src/pictures/raster.js';
import { createPictureStore } from '../src/pictures/store.js';
import { CONTENT_DIR } from '../test/support/coach.js';
import { measure, median, report, RUNS } from './measure.js';

export async function benchPictures(): Promise<void> {
  const runs = RUNS;
  const line = report;
  const catalogue = loadCatalogue(CONTENT_DIR);

  const cold: number[] = [];
  for (const ex of catalogue.exercises.values()) {
    if (!ex.pose) continue;
    const pose = ex.pose;
    // Nothing is cached below the store, so every run draws from scratch: no warm-up needed.
    const ms = await measure(
      Math.max(3, Math.round(runs / 5)),
      () => {
        poseToPng(pose);
        poseToGif(pose);
      },
      { warmUp: false },
    );
    cold.push(ms);
    line(`picture ${ex.id}, cold SVG → PNG + GIF (median)`, `${ms.toFixed(0)} ms`);
  }
  line('picture, cold, median over exercises', `${median(cold).toFixed(0)} ms`);

  const dir = mkdtempSync(join(tmpdir(), 'stretch-bench-pictures-'));
  try {
    await createPictureStore({ catalogue, cacheDir: dir }).warm();
    const baseline = await measure(runs, () => loadCatalogue(CONTENT_DIR), { warmUp: false });
    const withPictures = await measure(runs, async () => {
      const c = loadCatalogue(CONTENT_DIR);
      const { rendered } = await createPictureStore({ catalogue: c, cacheDir: dir }).warm();
      if (rendered.length) throw new Error('the warm cache rendered something');
    }, { warmUp: false });
    line('start-up: load catalogue (median)', `${baseline.toFixed(2)} ms`);
    line('start-up: load catalogue + 12 pictures from warm cache (median)', `${withPictures.toFixed(2)} ms`);
    line('  pictures add', `${(withPictures - baseline).toFixed(2)} ms (${(withPictures / baseline).toFixed(2)}×)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
