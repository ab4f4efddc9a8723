/** What every `npm run bench` section shares: run counts, medians, timing and the report line. */
import { performance } from 'node:perf_hooks';

/** Repetitions per measurement; BENCH_RUNS overrides it. */
export const RUNS = Number(process.env.BENCH_RUNS ?? 15);

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median milliseconds of `runs` calls; with `warmUp`, one untimed call first (JIT, caches). */
export async function measure(runs: number, fn: () => unknown, { warmUp = true } = {}): Promise<number> {
  if (warmUp) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export const report = (name: string, value: string): void => {
  console.log(`${name.padEnd(58)} ${value}`);
};
