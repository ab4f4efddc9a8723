/**
 * Reads and validates content/ at start-up. Every problem is collected (not just the first)
 * and reported with the file and the field, so a person editing content fixes it in one go.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative, basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { estimateExerciseSeconds, type Catalogue, type Exercise, type Routine } from '../core/catalogue.js';
import { exerciseSchema, routineSchema, safetySchema } from './schema.js';

export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Content is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ContentError';
  }
}

const YAML_EXT = new Set(['.yaml', '.yml']);

/** The catalogue plus what is worth a warning at start-up but not worth refusing to start. */
export type LoadedCatalogue = Catalogue & { warnings: string[] };

export function loadCatalogue(dir: string): LoadedCatalogue {
  const problems: string[] = [];
  const warnings: string[] = [];
  const show = (file: string) => relative(process.cwd(), file) || file;

  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ContentError([`${show(dir)}: content directory not found (set CONTENT_DIR to the folder holding exercises/ and routines/)`]);
  }

  function readAll<S extends z.ZodType>(sub: string, schema: S): Array<{ file: string; value: z.infer<S> }> {
    const folder = join(dir, sub);
    if (!existsSync(folder)) {
      problems.push(`${show(folder)}: folder is missing`);
      return [];
    }
    const out: Array<{ file: string; value: z.infer<S> }> = [];
    for (const name of readdirSync(folder).sort()) {
      if (!YAML_EXT.has(extname(name))) continue;
      const file = join(folder, name);
      const value = readYaml(file, schema);
      if (value === undefined) continue;
      const expected = basename(name, extname(name));
      if ((value as { id: string }).id !== expected) {
        problems.push(`${show(file)}: field "id" is "${(value as { id: string }).id}" but must match the file name "${expected}"`);
        continue;
      }
      out.push({ file, value });
    }
    if (out.length === 0 && problems.length === 0) problems.push(`${show(folder)}: no .yaml files found`);
    return out;
  }

  function readYaml<S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined {
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`${show(file)}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
      return undefined;
    }
    const result = schema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path.length ? issue.path.map(String).join('.') : '(whole file)';
        problems.push(`${show(file)}: field "${field}" ${issue.message}`);
      }
      return undefined;
    }
    return result.data;
  }

  const exercises = new Map<string, Exercise>();
  for (const { file, value } of readAll('exercises', exerciseSchema)) {
    if (exercises.has(value.id)) problems.push(`${show(file)}: field "id" duplicates exercise "${value.id}"`);
    else exercises.set(value.id, value as Exercise);
    // Pictures are optional so a new exercise can ship before someone draws it.
    if (!value.pose) warnings.push(`${show(file)}: exercise "${value.id}" has no "pose" section, so it has no picture`);
  }

  const routines: Array<Routine & { order: number }> = [];
  for (const { file, value } of readAll('routines', routineSchema)) {
    if (routines.some((r) => r.id === value.id)) {
      problems.push(`${show(file)}: field "id" duplicates routine "${value.id}"`);
      continue;
    }
    const unknown = value.exercises
      .map((exId, i) => [exId, i] as const)
      .filter(([exId]) => !exercises.has(exId));
    for (const [exId, i] of unknown) {
      problems.push(`${show(file)}: field "exercises.${i}" names unknown exercise "${exId}" (known: ${[...exercises.keys()].join(', ')})`);
    }
    if (unknown.length) continue;
    routines.push({
      id: value.id,
      name: value.name,
      description: value.description,
      order: value.order ?? Number.MAX_SAFE_INTEGER,
      exerciseIds: value.exercises,
      estimatedSeconds: value.exercises.reduce((sum, exId) => sum + estimateExerciseSeconds(exercises.get(exId)!.timing), 0),
    });
  }

  const safetyFile = join(dir, 'safety.yaml');
  const safety = existsSync(safetyFile) ? readYaml(safetyFile, safetySchema) : undefined;
  if (!existsSync(safetyFile)) problems.push(`${show(safetyFile)}: file is missing (it holds the safety summary and advice)`);

  if (problems.length) throw new ContentError(problems);
  routines.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return {
    exercises,
    routines: routines.map(({ order: _order, ...r }) => r),
    safety: safety!,
    warnings,
  };
}
