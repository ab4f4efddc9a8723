/**
 * The package's root folder, where its own files live (migrations/, assets/), found from this
 * module wherever the code runs from: src/ under tsx and the tests, or the bundle in dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRootFrom(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at;
    if (dirname(at) === at) throw new Error(`no package.json above ${dir}: run stretch coach from its folder as installed`);
  }
}

export const PACKAGE_ROOT = packageRootFrom(dirname(fileURLToPath(import.meta.url)));
