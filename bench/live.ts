/**
 * The `live` section of `npm run bench` (issue 12 §4): the live dashboard with `n` targets at 1 s,
 * served by the real app on a loopback socket (the built UI from dist/ui: `npm run build` first),
 * read by a real SSE client and by Chromium. The `n` targets' results are fed into the real
 * latest-result map at n per second in 10 slices (connect times 0.2–3 ms, 1 % refused), not
 * probed: probing 10,000 targets in this process would measure probe capacity (its own section)
 * instead of the dashboard. One more target is probed for real by the actors (the status change).
 *   - initial list: GET /api/events/snapshot, server time until the body is in (in-process
 *     `app.request`, median of 5 after a first one that seeds the map), JSON and gzip bytes;
 *   - steady state: bytes/s and entries/s of the stream over `seconds`;
 *   - status change: one target's listener closed and opened again; probe start (the result's
 *     startedAt) → the delta in the SSE client, and → the row's status changed in Chromium;
 *   - Chromium: navigation start → first row painted, and → every target counted; a filter that
 *     finds a target far down (input → rows shown, ms); scrolling (rAF frame times while
 *     scrolling the table 300 px a frame).
 * Goals (issue 12 §4): list < 100 ms and < 1 MB; < 200 KB/s; change on screen < 1.5 s; first paint < 1.5 s.
 */
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { SQL } from 'sql-template-strings';
import { startActors } from '../src/actors/system.js';
import { outcomeCode, undeltaIds, type LiveDelta } from '../src/domain/live-frame.js';
import { buildApp } from '../src/http/app.js';
import { LiveService } from '../src/live/service.js';
import type { Db } from '../src/store/db.js';
import { createTarget } from '../src/store/targets.js';
import { launchBrowser } from '../tests/e2e/harness.js';
import { testApp } from '../tests/helpers/app.js';
import { openSse } from '../tests/helpers/sse.js';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pctl = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Goals of issue 12 §4. */
export const LIVE_GOALS = { listMs: 100, listBytes: 1_000_000, bytesPerSec: 200_000, changeMs: 1500, firstPaintMs: 1500 };

/** A loopback listener that can be closed and opened again on the same port. */
async function toggler() {
  let server: net.Server | null = null;
  const sockets = new Set<net.Socket>();
  let port = 0;
  const open = async () => {
    server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined).on('close', () => sockets.delete(s));
      s.end();
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  };
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
  };
  await open();
  return { port: () => port, open, close };
}

/**
 * Runs the section on `db`, which already holds `n` enabled targets at 1 s (and rollups).
 * @param seconds steady-state window, s
 */
export async function liveBench(db: Db, n: number, seconds: number) {
  const peer = await toggler();
  const toggle = await createTarget(
    db,
    {
      name: 'live-toggle',
      host: '127.0.0.1',
      port: peer.port(),
      intervalSeconds: 1,
      timeoutMs: null,
      retentionValue: 1,
      retentionUnit: 'day',
      enabled: true,
      failureThreshold: 1,
      recoveryThreshold: 1,
    },
    Date.now(),
  );
  // only the toggle target is probed: the others are enabled after the supervisor's one reconcile
  await db.run(SQL`UPDATE targets SET enabled = 0 WHERE id <> ${toggle.id}`);
  const actors = startActors(db, silent, { purgeEveryMs: 3_600_000, reconcileEveryMs: 3_600_000 });
  const { deps, client } = await testApp(db, { actors });
  const live = new LiveService(deps);
  deps.live = live;
  const app = buildApp(deps);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  let stopFeeder = () => {};
  try {
    await actors.reconcile();
    await db.run(SQL`UPDATE targets SET enabled = 1`);
    const ids = (await db.all<{ id: number }>(SQL`SELECT id FROM targets WHERE id <> ${toggle.id} ORDER BY id`)).map((r) => Number(r.id));
    let slice = 0;
    const feeder = setInterval(() => {
      const now = Date.now();
      for (let k = slice; k < ids.length; k += 10) {
        const id = ids[k]!;
        const refused = id % 100 === 0;
        actors.latest.record({
          targetId: id,
          startedAt: now,
          outcome: refused ? 'refused' : 'success',
          connectMs: refused ? null : 0.2 + Math.random() * 2.8,
          dnsMs: null,
          address: '127.0.0.2',
          localPort: null,
          errorCode: refused ? 'ECONNREFUSED' : null,
        });
      }
      slice = (slice + 1) % 10;
    }, 100);
    stopFeeder = () => clearInterval(feeder);
    await sleep(2000);
    const c = client();
    await c.login('admin', 'correct horse');

    // initial list, server time (in-process: no socket, body read whole)
    const get = async () => {
      const s = performance.now();
      const res = await app.request('http://localhost/api/events/snapshot', { headers: { cookie: c.cookie } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`snapshot: ${res.status}`);
      return { ms: performance.now() - s, text };
    };
    const first = await get();
    const times: number[] = [];
    let text = first.text;
    for (let i = 0; i < 5; i++) {
      const r = await get();
      times.push(r.ms);
      text = r.text;
    }
    const snap = JSON.parse(text) as { id: number[]; lastAt: (number | null)[]; cursor: string };

    // steady state over the socket
    const st = await openSse(`${url}/api/events/stream?after=${snap.cursor}`, { cookie: c.cookie });
    await sleep(3000);
    const b0 = st.bytes;
    const e0 = st.events.length;
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const window = (performance.now() - t0) / 1000;
    const deltas = st.events
      .slice(e0)
      .filter((e) => e.event === 'delta')
      .map((e) => JSON.parse(e.data) as LiveDelta);
    const entries = deltas.reduce((k, d) => k + (d.r?.i.length ?? 0) + (d.n?.i.length ?? 0) + (d.s?.i.length ?? 0), 0);
    const bytesPerSec = Math.round((st.bytes - b0) / window);

    // Chromium: first paint of the dashboard
    const context = await browser.newContext({ baseURL: url, viewport: { width: 1400, height: 900 } });
    await context.addCookies([{ name: c.cookie.split('=')[0]!, value: c.cookie.slice(c.cookie.indexOf('=') + 1), url }]);
    // tsx (esbuild, keepNames) wraps named functions of page.evaluate callbacks in __name()
    await context.addInitScript('globalThis.__name = (f) => f;');
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const debug = (...a: unknown[]) => process.env.BENCH_DEBUG && console.log(new Date().toISOString().slice(11, 23), ...a);
    debug('list', first.ms, times, 'steady', bytesPerSec);
    page.on('console', (m) => debug('console', m.text()));
    page.on('pageerror', (e) => debug('pageerror', e.message));
    page.on('requestfinished', (r) => debug('finished', r.url()));
    page.on('response', (r) => debug('response', r.status(), r.url()));
    await page.goto('/');
    const firstRowMs = (await (await page.waitForFunction(() => document.querySelector('tbody tr[data-target-id]') && performance.now(), undefined, { polling: 'raf' })).jsonValue()) as number;
    const allCountedMs = (await (
      await page.waitForFunction((total) => document.body.innerText.includes(`${total} of ${total} targets`) && performance.now(), n + 1, { polling: 'raf' })
    ).jsonValue()) as number;

    // scrolling: frame times while the table scrolls 300 px a frame for 2 s
    const frames = await page.evaluate(
      () =>
        new Promise<number[]>((resolve) => {
          const el = document.querySelector<HTMLElement>('[data-testid="targets-scroll"]')!;
          const out: number[] = [];
          let last = performance.now();
          const end = last + 2000;
          const step = (t: number) => {
            out.push(t - last);
            last = t;
            el.scrollTop += 300;
            if (t < end) requestAnimationFrame(step);
            else resolve(out);
          };
          requestAnimationFrame(step);
        }),
    );

    // filtering: a target far down, input → its row alone on screen
    const filterMs: number[] = [];
    for (const name of ['bench-9876', 'bench-5000', 'bench-1234']) {
      const want = name.replace(/\d+$/, (d) => String(Math.min(Number(d), n - 1)));
      const ms = await page.evaluate(
        (w) =>
          new Promise<number>((resolve) => {
            const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
            const s = performance.now();
            input.value = w;
            input.dispatchEvent(new Event('input', { bubbles: true }));
            const check = () => {
              const names = Array.from(document.querySelectorAll('tbody tr[data-target-id] .c-name'), (x) => x.textContent);
              if (names.length === 1 && names[0] === w) resolve(performance.now() - s);
              else requestAnimationFrame(check);
            };
            check();
          }),
        want,
      );
      filterMs.push(ms);
    }

    // status change: the toggle target's row on screen, its listener closed / opened
    await page.getByLabel('Search').fill('live-toggle');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr[data-target-id]').length === 1);
    await page.evaluate(() => {
      const w = window as unknown as { __changes: { at: number; status: string }[] };
      w.__changes = [];
      new MutationObserver((muts) => {
        for (const m of muts) w.__changes.push({ at: Date.now(), status: (m.target as HTMLElement).dataset.status ?? '' });
      }).observe(document.querySelector('tbody')!, { attributes: true, subtree: true, attributeFilter: ['data-status'] });
    });
    const sseMs: number[] = [];
    const screenMs: number[] = [];
    for (let i = 0; i < 4; i++) {
      const down = i % 2 === 0;
      const want = outcomeCode(down ? 'refused' : 'success');
      const from = st.events.length;
      if (down) await peer.close();
      else await peer.open();
      const changedAt = Date.now();
      // the first result of the new kind, and when it was started
      let started = 0;
      const deadline = performance.now() + 5000;
      while (performance.now() < deadline) {
        const r = actors.latest.get(toggle.id);
        if (r && r.startedAt >= changedAt && (r.outcome === 'success') !== down) {
          started = r.startedAt;
          break;
        }
        await sleep(5);
      }
      const ev = await st.next(
        (e) =>
          st.events.indexOf(e) >= from &&
          e.event === 'delta' &&
          (() => {
            const d = JSON.parse(e.data) as LiveDelta;
            const k = d.r ? undeltaIds(d.r.i).indexOf(toggle.id) : -1;
            return k >= 0 && d.r!.o[k] === want;
          })(),
        6000,
      );
      const receivedAt = Date.now() - (performance.now() - ev.at);
      sseMs.push(receivedAt - started);
      const onScreen = (await (
        await page.waitForFunction(
          ([since, status]) => {
            const w = window as unknown as { __changes: { at: number; status: string }[] };
            return w.__changes.find((x) => x.at >= since && x.status === status)?.at ?? 0;
          },
          [changedAt, down ? 'down' : 'up'] as const,
          { timeout: 6000 },
        )
      ).jsonValue()) as number;
      screenMs.push(onScreen - started);
      await sleep(1500);
    }
    st.close();
    await context.close();
    return {
      targets: n + 1,
      withLastResult: snap.lastAt.filter((x) => x !== null).length,
      list: { firstMs: r1(first.ms), medianMs: r1(median(times)), bytes: text.length, gzipBytes: gzipSync(text).length },
      steady: { seconds: r1(window), bytesPerSec, entriesPerSec: Math.round(entries / window), deltas: deltas.length },
      change: { sseMs: sseMs.map(Math.round), screenMs: screenMs.map(Math.round), maxScreenMs: Math.round(Math.max(...screenMs)) },
      chromium: {
        firstRowMs: r1(firstRowMs),
        allCountedMs: r1(allCountedMs),
        filterMs: filterMs.map(r1),
        scrollFrameP95Ms: r1(pctl(frames, 0.95)),
        scrollFrameMaxMs: r1(Math.max(...frames)),
        scrollFrames: frames.length,
      },
      goals: LIVE_GOALS,
    };
  } finally {
    stopFeeder();
    await browser.close();
    live.stop();
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await actors.shutdown(30_000);
    await peer.close();
  }
}
