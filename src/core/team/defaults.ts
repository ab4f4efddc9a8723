/** Team-feature defaults that are choices, not facts. */
import { findRoutine, type Catalogue, type Routine } from '../catalogue.js';

export const SNOOZE_MS = 10 * 60_000;

/** Break prompts suit a short routine; fall back to the first one the content offers. */
export function defaultRoutine(catalogue: Catalogue): Routine {
  return findRoutine(catalogue, 'desk') ?? catalogue.routines[0]!;
}
