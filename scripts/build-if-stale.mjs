#!/usr/bin/env node
/**
 * `npm start`'s first step: runs `npm run build` only when the build is missing or older than its
 * sources, decided the way make(1) does: the build's outputs (dist/src/main.js from tsc,
 * dist/ui/index.html from vite; each build rewrites both) must both be newer than every input
 * (src/, ui/, package.json, package-lock.json, tsconfig.json; a folder's own mtime counts, so a
 * deleted file does too). Exit status: 0 when the build is current or was rebuilt, else the build's.
 * Run from the project root; `--check` only prints `stale` or `fresh` (exit 0).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const OUTPUTS = ['dist/src/main.js', 'dist/ui/index.html'];
const INPUTS = ['src', 'ui', 'package.json', 'package-lock.json', 'tsconfig.json'];
const SKIP = new Set(['node_modules', 'dist', '.git']);

/** Newest mtime (ms) of a file, or of the files under a folder; 0 when absent. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs; // a deleted file changes its folder's mtime
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (!SKIP.has(e.name)) max = Math.max(max, newest(join(path, e.name)));
  }
  return max;
}

/** Oldest output's mtime (ms); 0 when any is missing. */
const built = Math.min(
  ...OUTPUTS.map((p) => {
    try {
      return statSync(join(root, p)).mtimeMs;
    } catch {
      return 0;
    }
  }),
);
const sources = Math.max(...INPUTS.map((p) => newest(join(root, p))));
const stale = built === 0 || sources > built;

if (process.argv.includes('--check')) {
  process.stdout.write(`${stale ? 'stale' : 'fresh'}\n`);
  process.exit(0);
}
if (!stale) {
  process.stderr.write('netwatch: build is up to date (dist/ newer than the sources); starting\n');
  process.exit(0);
}
process.stderr.write(`netwatch: ${built === 0 ? 'no build yet' : 'sources changed since the last build'}; running npm run build\n`);
const run = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
