/**
 * "Skip it from now on": a person's own list of exercises that new sessions leave out, and
 * how they bring one back (`/stretch settings restore <exercise>` or a button in settings).
 */
import { encodeAction } from './action-id.js';
import type { Button } from './card.js';
import type { Catalogue, Routine } from './catalogue.js';
import type { CoreDeps } from './deps.js';
import type { UserKey } from './incoming.js';
import { fail, type Result } from './result.js';
import { restoreHint } from './views.js';

const nameOf = (catalogue: Catalogue, id: string) => catalogue.exercises.get(id)?.name ?? id;

/** The routine's exercises minus the person's skipped ones, and which were left out. */
export async function withoutSkipped(deps: CoreDeps, key: UserKey, routine: Routine): Promise<{ exerciseIds: string[]; leftOut: string[] }> {
  const skipped = new Set(await deps.users.skippedExercises(key));
  return {
    exerciseIds: routine.exerciseIds.filter((id) => !skipped.has(id)),
    leftOut: routine.exerciseIds.filter((id) => skipped.has(id)),
  };
}

/** The settings line listing skipped exercises. */
export function skipsLine(catalogue: Catalogue, skipped: readonly string[]): string {
  if (!skipped.length) return 'none';
  return `${skipped.map((id) => nameOf(catalogue, id)).join(', ')} (bring one back with ${restoreHint(skipped[0]!)} or a button below)`;
}

export function restoreButtons(catalogue: Catalogue, skipped: readonly string[]): Button[] {
  return skipped.map((id) => ({ id: encodeAction({ kind: 'restore', exerciseId: id }), label: `Restore ${nameOf(catalogue, id)}`, style: 'secondary' }));
}

export type Restored = Result<{ name: string }, 'unknown' | 'not-skipped'>;

/**
 * Takes an exercise off the list, named by id or by name. An id that is no longer in the
 * content can still be restored, so nothing stays stuck on the list.
 */
export async function restoreSkip(deps: CoreDeps, key: UserKey, wanted: string): Promise<Restored> {
  const text = wanted.trim().toLowerCase();
  const skipped = await deps.users.skippedExercises(key);
  const listed = skipped.length ? ` You skip: ${skipped.map((id) => `${nameOf(deps.catalogue, id)} (${id})`).join(', ')}.` : ' You skip no exercises.';
  if (!text) return fail('unknown', `Name the exercise to bring back, for example ${restoreHint(skipped[0] ?? 'neck-rolls')}.${listed}`);
  const id =
    skipped.find((s) => s === text || nameOf(deps.catalogue, s).toLowerCase() === text) ??
    [...deps.catalogue.exercises.values()].find((e) => e.id === text || e.name.toLowerCase() === text)?.id;
  if (!id) return fail('unknown', `I don't know an exercise called "${wanted.trim()}".${listed}`);
  const name = nameOf(deps.catalogue, id);
  if (!(await deps.users.restoreExercise(key, id))) return fail('not-skipped', `${name} is not on your skip list, so nothing changed.${listed}`);
  return { ok: true, name };
}
