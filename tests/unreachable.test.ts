/**
 * `unreachable` needs a destination with no route. The probe runs inside a network namespace this
 * test creates, holding only a loopback interface: connect(2) to a TEST-NET-2 address (RFC 5737)
 * fails with ENETUNREACH in the kernel and no packet leaves the namespace. Needs root and
 * iproute2 (`ip netns`); skipped with the reason otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ns = `nwtest-${process.pid}`;
const root = join(import.meta.dirname, '..');
let why: string | null = null;

beforeAll(() => {
  try {
    execFileSync('ip', ['netns', 'add', ns], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
  } catch (err) {
    why = `cannot create a network namespace here (${String((err as Error).message).split('\n')[0]})`;
  }
});
afterAll(() => {
  if (!why) spawnSync('ip', ['netns', 'del', ns]);
});

describe('probe in a namespace without routes', () => {
  it('a destination with no route → unreachable (ENETUNREACH), no handshake', (ctx) => {
    if (why) return ctx.skip(why);
    const script = `import { probe } from ${JSON.stringify(join(root, 'src/actors/probe.ts'))};
      console.log(JSON.stringify(await probe({ targetId: 3, host: '198.51.100.7', port: 443, timeoutMs: 2000 })));`;
    const out = execFileSync('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r).toMatchObject({ targetId: 3, outcome: 'unreachable', errorCode: 'ENETUNREACH', connectMs: null, address: '198.51.100.7', dnsMs: null });
  });
});
