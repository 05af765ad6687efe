/** Locations of files shipped with NetWatch, found from this module whether run from src/ (tsx) or dist/src/ (tsc). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the nearest folder above this module holding `package.json`.
 * @throws Error when none is found (a broken install)
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'sql'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('NetWatch project root (package.json + sql/) not found');
    dir = parent;
  }
}
