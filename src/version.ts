/** NetWatch's version, from package.json (read once). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths.js';

let cached: string | undefined;
/** The `version` field of NetWatch's package.json, e.g. `0.1.0`. */
export function packageVersion(): string {
  cached ??= String((JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown');
  return cached;
}
