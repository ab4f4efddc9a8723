import { cpSync, mkdtempSync, rmSync, writeFileSync, unlinkSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentError, loadCatalogue } from '../src/content/loader.js';
import { CONTENT_DIR } from './support/coach.js';

const dirs: string[] = [];
function copyContent(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stretch-content-'));
  dirs.push(dir);
  cpSync(CONTENT_DIR, dir, { recursive: true });
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function problemsOf(dir: string): string[] {
  try {
    loadCatalogue(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(ContentError);
    return (err as ContentError).problems;
  }
  throw new Error('expected the content to be refused');
}

describe('content loader', () => {
  it('loads the shipped content: 3 warm-ups, 9 stretches, 4 routines', () => {
    const c = loadCatalogue(CONTENT_DIR);
    const kinds = [...c.exercises.values()].map((e) => e.kind);
    expect(kinds.filter((k) => k === 'warm-up')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'stretch')).toHaveLength(9);
    expect(c.routines.map((r) => r.id)).toEqual(['full', 'desk', 'neck', 'floor']);
    const full = c.routines[0]!;
    expect(full.exerciseIds).toEqual([
      'running-on-the-spot', 'jumping-jacks', 'neck-rolls', 'neck-flexion', 'shoulder-roll', 'childs-pose',
      'thoracic-extension', 'trunk-rotation', 'overhead-arm-reach', 'cat-cow', 'knee-to-chest', 'wall-stretch',
    ]);
    expect(c.exercises.get('neck-flexion')).toMatchObject({ position: 'seated', timing: { holdSeconds: 30 } });
    expect(c.safety.advice.length).toBeGreaterThanOrEqual(3);
    // Derived, not declared: the full routine is the sum of its parts, so it is the longest.
    expect(full.estimatedSeconds).toBeGreaterThan(Math.max(...c.routines.slice(1).map((r) => r.estimatedSeconds)));
  });

  it('refuses a routine naming an unknown exercise, naming file and field', () => {
    const dir = copyContent();
    writeFileSync(join(dir, 'routines/desk.yaml'), 'id: desk\nname: Desk\ndescription: x\nexercises:\n  - neck-rolls\n  - toe-touch\n');
    const [p] = problemsOf(dir);
    expect(p).toMatch(/routines\/desk\.yaml: field "exercises\.1" names unknown exercise "toe-touch"/);
  });

  it('refuses duplicate ids', () => {
    const dir = copyContent();
    cpSync(join(dir, 'exercises/cat-cow.yaml'), join(dir, 'exercises/cat-cow.yml'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/exercises\/cat-cow\.yml: field "id" duplicates exercise "cat-cow"/)]);
  });

  it('gives every shipped exercise an easier variant in its own words', () => {
    const c = loadCatalogue(CONTENT_DIR);
    for (const ex of c.exercises.values()) {
      expect(ex.easier?.steps.length, ex.id).toBeGreaterThan(0);
      expect(ex.easier!.name, ex.id).not.toBe(ex.name);
      // The variant is a different set of instructions, not a copy of the full exercise.
      for (const step of ex.easier!.steps) expect(ex.steps, ex.id).not.toContain(step);
    }
  });

  it('refuses an easier variant without steps, naming file and field', () => {
    const dir = copyContent();
    const file = join(dir, 'exercises/neck-flexion.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/easier:\n  name: (.*)\n  steps:\n(    - .*\n)+/, 'easier:\n  name: $1\n  steps: []\n'));
    expect(problemsOf(dir)).toContainEqual(expect.stringMatching(/neck-flexion\.yaml: field "easier\.steps" must have at least one step/));
  });

  it('refuses missing and wrong-typed fields', () => {
    const dir = copyContent();
    const file = join(dir, 'exercises/neck-flexion.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^name:.*\n/m, '').replace(/holdSeconds: 30/, 'holdSeconds: thirty'));
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/exercises\/neck-flexion\.yaml: field "name"/));
    expect(problems).toContainEqual(expect.stringMatching(/exercises\/neck-flexion\.yaml: field "timing\.holdSeconds"/));
  });

  it('refuses empty steps and an empty step', () => {
    const dir = copyContent();
    const file = join(dir, 'exercises/wall-stretch.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/steps:\n(  - .*\n)+/, 'steps: []\n'));
    expect(problemsOf(dir)).toContainEqual(expect.stringMatching(/wall-stretch\.yaml: field "steps" must have at least one step/));
    writeFileSync(file, text.replace(/steps:\n/, 'steps:\n  - "  "\n'));
    expect(problemsOf(dir)).toContainEqual(expect.stringMatching(/wall-stretch\.yaml: field "steps\.0" must not be empty/));
  });

  it('refuses unknown enum values, unknown keys, an id that does not match its file, and bad YAML', () => {
    const dir = copyContent();
    const file = join(dir, 'exercises/cat-cow.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('kind: stretch', 'kind: yoga').replace('id: cat-cow', 'id: cat-cow\ncolour: blue'));
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/cat-cow\.yaml: field "kind"/));
    expect(problems).toContainEqual(expect.stringMatching(/cat-cow\.yaml: field "\(whole file\)".*colour/));

    const dir2 = copyContent();
    writeFileSync(join(dir2, 'exercises/jumping-jacks.yaml'), readFileSync(join(dir2, 'exercises/jumping-jacks.yaml'), 'utf8').replace('id: jumping-jacks', 'id: star-jumps'));
    expect(problemsOf(dir2)).toContainEqual(expect.stringMatching(/jumping-jacks\.yaml: field "id" is "star-jumps" but must match the file name/));

    const dir3 = copyContent();
    writeFileSync(join(dir3, 'routines/neck.yaml'), 'id: neck\nexercises: [neck-rolls\n');
    expect(problemsOf(dir3)).toContainEqual(expect.stringMatching(/routines\/neck\.yaml: not valid YAML/));
  });

  it('refuses timing with nothing to time, a missing safety file and a missing folder', () => {
    const dir = copyContent();
    const file = join(dir, 'exercises/shoulder-roll.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/timing:\n(  .*\n)+/, 'timing:\n  perSide: true\n'));
    unlinkSync(join(dir, 'safety.yaml'));
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/shoulder-roll\.yaml: field "timing" needs at least one of holdSeconds/));
    expect(problems).toContainEqual(expect.stringMatching(/safety\.yaml: file is missing/));
    expect(problemsOf(join(dir, 'nope'))).toEqual([expect.stringMatching(/content directory not found \(set CONTENT_DIR/)]);
  });

  it('picks up a routine added as a new file', () => {
    const dir = copyContent();
    writeFileSync(join(dir, 'routines/quick.yaml'), 'id: quick\nname: Quick one\ndescription: Two moves.\nexercises: [neck-rolls, shoulder-roll]\n');
    const c = loadCatalogue(dir);
    expect(c.routines.at(-1)).toMatchObject({ id: 'quick', exerciseIds: ['neck-rolls', 'shoulder-roll'] });
  });

  it('loads every shipped exercise with a pose and no warnings', () => {
    const c = loadCatalogue(CONTENT_DIR);
    expect(c.warnings).toEqual([]);
    expect([...c.exercises.values()].filter((e) => !e.pose)).toEqual([]);
    expect(c.exercises.get('knee-to-chest')!.pose).toMatchObject({ view: 'side', side: 'right', prop: 'mat' });
  });

  it('loads an exercise without a pose, with a warning naming it', () => {
    const dir = copyContent();
    const file = join(dir, 'exercises/neck-rolls.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^pose:\n[\s\S]*$/m, ''));
    const c = loadCatalogue(dir);
    expect(c.exercises.get('neck-rolls')!.pose).toBeUndefined();
    expect(c.warnings).toEqual([expect.stringMatching(/exercises\/neck-rolls\.yaml: exercise "neck-rolls" has no "pose" section/)]);
  });

  it('refuses bad poses, naming file and field', () => {
    const dir = copyContent();
    const file = join(dir, 'exercises/cat-cow.yaml');
    const text = readFileSync(file, 'utf8');
    const refused = (edit: (t: string) => string) => {
      writeFileSync(file, edit(text));
      return problemsOf(dir);
    };
    expect(refused((t) => t.replace('neck: 30, head: 25,', 'neck: 30, head: 25, elbw: 10,'))).toContainEqual(
      expect.stringMatching(/cat-cow\.yaml: field "pose\.keyframes\.0\.angles\.elbw" is not a joint \(joints: spine1, /),
    );
    expect(refused((t) => t.replace(/(- name: cow[\s\S]*?)shoulderL: 80/, '$1shoulderL: 200'))).toContainEqual(
      expect.stringMatching(/cat-cow\.yaml: field "pose\.keyframes\.1\.angles\.shoulderL" must be between -180 and 180/),
    );
    expect(refused((t) => t.replace(/  keyframes:\n[\s\S]*$/, ''))).toContainEqual(
      expect.stringMatching(/cat-cow\.yaml: field "pose\.keyframes" is missing \(a pose needs at least two keyframes\)/),
    );
    expect(refused((t) => t.replace(/    - name: cow\n[\s\S]*$/, ''))).toContainEqual(
      expect.stringMatching(/cat-cow\.yaml: field "pose\.keyframes" must have at least two keyframes/),
    );
    expect(refused((t) => t.replace('view: side', 'view: top'))).toContainEqual(expect.stringMatching(/cat-cow\.yaml: field "pose\.view"/));
  });

  it('refuses a per-side exercise whose pose does not say which side it shows', () => {
    const dir = copyContent();
    const file = join(dir, 'exercises/knee-to-chest.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  side: right\n', ''));
    expect(problemsOf(dir)).toContainEqual(expect.stringMatching(/knee-to-chest\.yaml: field "pose\.side" is required \(left or right\) because timing\.perSide is true/));
  });
});
