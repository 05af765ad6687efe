/**
 * Issue 16 §6: console output for people. On a terminal (a pseudo-TTY from script(1)) NetWatch
 * prints readable lines through pino-pretty, with the first-run setup URL on a line of its own;
 * piped, it prints JSON lines with the same facts.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

const MAIN = join(import.meta.dirname, '..', 'dist', 'src', 'main.js');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs NetWatch (first run: no user) with `cmd` until its output holds the setup URL; @returns the output. */
async function firstRunOutput(viaTerminal: boolean): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'netwatch-console-'));
  dirs.push(dataDir);
  const env = { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(await freePort()), NETWATCH_DATA_DIR: dataDir, TERM: 'xterm' };
  const child = viaTerminal
    ? spawn('script', ['-qec', `exec ${process.execPath} ${MAIN}`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitFor(() => out.includes('/setup?token=') && out.slice(out.indexOf('/setup?token=')).includes('\n'), 20_000, 'the setup URL');
  } finally {
    const gone = once(child, 'exit');
    child.kill('SIGTERM');
    await gone;
  }
  return out;
}

describe('console output', () => {
  it('on a terminal: readable lines, the setup URL alone on its line', async () => {
    const raw = await firstRunOutput(true);
    // drop colours and the terminal's carriage returns
    const lines = raw
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '');
    expect(lines.some((l) => l.trimStart().startsWith('{'))).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO: listening /));
    expect(lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d:\d\d\] WARN: first-run setup: no user exists/));
    const urlLines = lines.filter((l) => l.includes('/setup?token='));
    expect(urlLines).toHaveLength(1);
    expect(urlLines[0]).toMatch(/^\s*http:\/\/127\.0\.0\.1:\d+\/setup\?token=[\w-]+$/);
  }, 30_000);

  it('piped: JSON lines, the setup URL a field', async () => {
    const raw = await firstRunOutput(false);
    const lines = raw.split('\n').filter((l) => l !== '');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.find((l) => l.msg === 'listening')).toMatchObject({ level: 30, component: 'core' });
    const setup = parsed.find((l) => typeof l.setupUrl === 'string');
    expect(setup!.setupUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup\?token=[\w-]+$/);
  }, 30_000);
});
