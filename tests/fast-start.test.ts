/**
 * `npm start` builds only when needed (issue 9 §5): scripts/build-if-stale.mjs run for real in a
 * scratch project whose `build` script writes the two outputs and counts its runs. Built when
 * dist/ is missing, not again while it is newer than the sources, again after a source is edited,
 * added or deleted, and a failing build fails the start.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'build-if-stale.mjs');
const ROOT_PKG = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('build only when stale', () => {
  let dir: string;
  const runs = () => {
    try {
      return readFileSync(join(dir, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  const start = () => spawnSync(process.execPath, [SCRIPT], { cwd: dir, encoding: 'utf8' });
  /** Dates a path at the next step of a timeline that runs ahead of the clock (10 s a step), as an edit after the build would be. */
  let step = 0;
  const later = (path: string) => {
    const t = new Date(Date.now() + ++step * 10_000);
    utimesSync(join(dir, path), t, t);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nw-faststart-'));
    const build = [
      "const fs = require('fs');",
      "if (fs.existsSync('FAIL')) process.exit(3);",
      "fs.mkdirSync('dist/src', { recursive: true }); fs.mkdirSync('dist/ui', { recursive: true });",
      "fs.writeFileSync('dist/src/main.js', ''); fs.writeFileSync('dist/ui/index.html', '');",
      "fs.appendFileSync('builds.log', 'built\\n');",
    ].join(' ');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, scripts: { build: `node -e "${build.replace(/"/g, '\\"')}"` } }));
    writeFileSync(join(dir, 'package-lock.json'), '{}');
    writeFileSync(join(dir, 'tsconfig.json'), '{}');
    mkdirSync(join(dir, 'src', 'http'), { recursive: true });
    mkdirSync(join(dir, 'ui', 'src'), { recursive: true });
    writeFileSync(join(dir, 'src', 'http', 'app.ts'), '');
    writeFileSync(join(dir, 'ui', 'src', 'main.tsx'), '');
    writeFileSync(join(dir, 'ui', 'src', 'old.tsx'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is what npm start runs before the server', () => {
    expect(ROOT_PKG.scripts.start).toBe('node scripts/build-if-stale.mjs && exec node dist/src/main.js');
  });

  it('builds when dist/ is missing, then not again while it is newer than the sources', () => {
    const first = start();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/no build yet; running npm run build/);
    expect(runs()).toBe(1);
    for (let i = 0; i < 2; i++) {
      const again = start();
      expect(again.status).toBe(0);
      expect(again.stderr).toMatch(/build is up to date/);
    }
    expect(runs()).toBe(1);
  });

  it.each([
    ['a server source edited', () => later('src/http/app.ts')],
    ['a UI source edited', () => later('ui/src/main.tsx')],
    ['the lock file changed (new dependencies)', () => later('package-lock.json')],
    [
      'a source file added',
      () => {
        writeFileSync(join(dir, 'src', 'new.ts'), '');
        later('src/new.ts');
      },
    ],
    [
      'a source file deleted',
      () => {
        unlinkSync(join(dir, 'ui', 'src', 'old.tsx'));
        later('ui/src');
      },
    ],
    ['one output missing', () => unlinkSync(join(dir, 'dist', 'ui', 'index.html'))],
  ])('rebuilds after %s', (_, change) => {
    const before = runs();
    change();
    const r = start();
    expect(r.status, r.stderr).toBe(0);
    expect(runs()).toBe(before + 1);
    // the outputs were written now, before the edit's future mtime: date them as a build after it would be
    for (const p of ['dist/src/main.js', 'dist/ui/index.html']) later(p);
    expect(start().stderr).toMatch(/build is up to date/);
    expect(runs()).toBe(before + 1);
  });

  it('a failing build fails the start with its status', () => {
    writeFileSync(join(dir, 'FAIL'), '');
    later('src/http/app.ts');
    const r = start();
    expect(r.status).toBe(3);
    expect(spawnSync(process.execPath, [SCRIPT, '--check'], { cwd: dir, encoding: 'utf8' }).stdout).toBe('stale\n');
  });
});
