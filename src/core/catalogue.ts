/** The exercise catalogue as the core sees it: plain data, already validated by the loader. */

import type { Pose } from './pose.js';

export type ExerciseKind = 'warm-up' | 'stretch';
export type StartPosition = 'standing' | 'seated' | 'floor' | 'wall';

export interface Timing {
  holdSeconds?: number;
  reps?: number;
  perSide?: boolean;
  durationSeconds?: number;
  breaths?: number;
  note?: string;
}

export interface Exercise {
  id: string;
  name: string;
  kind: ExerciseKind;
  position: StartPosition;
  targets: string[];
  steps: string[];
  timing: Timing;
  benefits: string[];
  cautions: string[];
  /** How to draw the exercise (src/pictures); absent means no picture. */
  pose?: Pose;
  /** A gentler version, offered after "It hurts". */
  easier?: { name: string; steps: string[] };
}

export interface Routine {
  id: string;
  name: string;
  description: string;
  exerciseIds: string[];
  /** Derived from the exercises' timing so it can never disagree with them. */
  estimatedSeconds: number;
}

export interface Safety {
  summary: string;
  advice: string[];
}

export interface Catalogue {
  exercises: ReadonlyMap<string, Exercise>;
  /** In display order (the order routines are offered in the picker). */
  routines: readonly Routine[];
  safety: Safety;
}

/** Seconds a breath takes when a hold is counted in breaths. */
const SECONDS_PER_BREATH = 5;
/** Seconds a rep takes when no hold is given (rolls, jumps). */
const SECONDS_PER_PLAIN_REP = 3;
/** Time to read the step and get into position. */
const SETUP_SECONDS = 10;

export function estimateExerciseSeconds(timing: Timing): number {
  if (timing.durationSeconds) return timing.durationSeconds + SETUP_SECONDS;
  const hold = timing.holdSeconds ?? (timing.breaths ? timing.breaths * SECONDS_PER_BREATH : 0);
  const reps = timing.reps ?? 1;
  const perRep = hold > 0 ? hold : SECONDS_PER_PLAIN_REP;
  const sides = timing.perSide ? 2 : 1;
  return perRep * reps * sides + SETUP_SECONDS;
}

export function findRoutine(catalogue: Catalogue, idOrName: string): Routine | undefined {
  const wanted = idOrName.trim().toLowerCase();
  return catalogue.routines.find((r) => r.id === wanted || r.name.toLowerCase() === wanted);
}

/** Human timing line, e.g. "Hold 30 s · 3 times · each side". */
export function describeTiming(timing: Timing): string {
  const parts: string[] = [];
  if (timing.durationSeconds) parts.push(`Keep going for ${formatDuration(timing.durationSeconds)}`);
  if (timing.holdSeconds) parts.push(`Hold ${timing.holdSeconds} s`);
  if (timing.breaths) parts.push(`${timing.breaths} slow breaths`);
  if (timing.reps) parts.push(timing.reps === 1 ? 'once' : `${timing.reps} times`);
  if (timing.perSide) parts.push('each side');
  const line = parts.join(' · ');
  return timing.note ? `${line}. ${timing.note}` : line;
}

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m} min ${rest} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

/** Rounded to whole minutes for routine estimates ("about 6 min"). */
export function formatEstimate(totalSeconds: number): string {
  return `about ${Math.max(1, Math.round(totalSeconds / 60))} min`;
}
