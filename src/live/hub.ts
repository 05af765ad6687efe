/**
 * The live hub (issue 12 §4): once a second it compares every target's latest result and state
 * with what it last sent, builds one {@link LiveDelta} of the targets whose shown values moved
 * (so a target appears at most once a second however many results it had), keeps the last
 * deltas for reconnects, and hands each to every subscriber. A subscriber whose client reads
 * slower than the deltas come holds at most `maxQueued` of them (shared strings, never copies);
 * past that its queue is replaced by one `resync` and the stream ends, so a stuck client never
 * grows the server's memory.
 */
import { LIVE_EVENTS, outcomeCode, roundConnect, stateCode, type LiveDelta } from '../domain/live-frame.js';
import { effectiveLocations } from '../domain/location-rules.js';
import type { LatestView } from './latest.js';
import { encodeDelta } from './delta-text.js';
import { Subscription } from './subscription.js';
import type { StateView } from '../actors/target-states.js';

/** A target as the hub needs it. */
export interface HubTarget {
  id: number;
  enabled: boolean;
  locations: readonly string[];
}

/** What the hub reads. */
export interface HubSources {
  latest: LatestView;
  /** A target's live state (the state actor's), undefined when it tracks none. */
  state: (targetId: number) => StateView | undefined;
  /** Current time, UTC epoch ms. */
  now: () => number;
}

/** Hub tuning; defaults in {@link HUB_DEFAULTS}. */
export interface HubOptions {
  /** Delta period, ms (the coalescing window). */
  tickMs: number;
  /** Deltas kept for reconnects (Last-Event-ID). */
  keepFrames: number;
  /** Deltas a subscriber may have waiting before it is sent `resync` instead. */
  maxQueued: number;
  /** Idle time after which a subscriber gets an SSE comment so proxies keep the stream, ms. */
  heartbeatMs: number;
}

/** 1 s deltas, 30 s of them kept, 10 waiting at most, a heartbeat after 15 s of silence. */
export const HUB_DEFAULTS: HubOptions = { tickMs: 1000, keepFrames: 30, maxQueued: 10, heartbeatMs: 15_000 };

interface Frame {
  seq: number;
  delta: LiveDelta;
  /** Encoded text per location key ('' = every target). */
  texts: Map<string, string>;
}

interface Sent {
  at: number;
  o: number;
  c: number | null;
  e: string | null;
}

/** Builds and fans out the deltas. Start it with {@link LiveHub.start}; its timer does not keep the process up. */
export class LiveHub {
  private seq = 0;
  /** Distinguishes this process's cursors from an earlier one's. */
  private readonly epoch = Date.now().toString(36);
  private frames: Frame[] = [];
  private readonly sent = new Map<number, Sent>();
  private readonly sentState = new Map<number, { v: number; since: number | null }>();
  private targets = new Map<number, HubTarget>();
  private readonly keepByLocation = new Map<string, Set<number>>();
  private readonly subs = new Set<Subscription>();
  private timer: ReturnType<typeof setInterval> | null = null;
  readonly opts: HubOptions;

  constructor(
    private readonly src: HubSources,
    opts: Partial<HubOptions> = {},
  ) {
    this.opts = { ...HUB_DEFAULTS, ...opts };
  }

  /** The cursor of the newest delta (`<epoch>.<seq>`); a snapshot taken now contains it. */
  cursor(): string {
    return `${this.epoch}.${this.seq}`;
  }

  /** Number of open subscriptions. */
  get subscribers(): number {
    return this.subs.size;
  }

  /** Sets the targets (after each change of the list); deleted ones are forgotten. */
  setTargets(list: readonly HubTarget[]): void {
    this.targets = new Map(list.map((t) => [t.id, t]));
    this.keepByLocation.clear();
    for (const id of this.sent.keys()) if (!this.targets.has(id)) this.sent.delete(id);
    for (const id of this.sentState.keys()) if (!this.targets.has(id)) this.sentState.delete(id);
  }

  /** Starts the 1 s timer (idempotent), taking the current results and states as already sent. */
  start(): void {
    if (this.timer) return;
    this.scan();
    this.timer = setInterval(() => this.tick(), this.opts.tickMs);
    this.timer.unref();
  }

  /** Stops the timer and ends every subscription. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const s of [...this.subs]) s.close();
  }

  /**
   * A new subscriber for `location` (undefined: every target), replaying the deltas after
   * `after` (a cursor); a cursor too old or from another process gets `resync` at once.
   */
  subscribe(location: string | undefined, after: string | undefined): Subscription {
    const sub = new Subscription(location, this.opts, (s) => this.subs.delete(s));
    this.subs.add(sub);
    if (after !== undefined) {
      const [epoch, raw] = after.split('.');
      const seq = Number(raw);
      const oldest = this.frames[0]?.seq ?? this.seq + 1;
      if (epoch !== this.epoch || !Number.isInteger(seq) || seq > this.seq || seq < oldest - 1) {
        sub.push({ event: LIVE_EVENTS.resync, data: 'gap' });
      } else for (const f of this.frames) if (f.seq > seq) this.deliver(sub, f);
    }
    return sub;
  }

  /** Tells every subscriber to fetch a fresh snapshot (the target list changed). */
  resyncAll(reason: string): void {
    for (const s of this.subs) s.push({ event: LIVE_EVENTS.resync, data: reason });
  }

  /** Builds this second's delta and sends it; exposed for tests and the bench. @returns the delta, or null when nothing moved */
  tick(): LiveDelta | null {
    const delta = this.scan();
    if (!delta) return null;
    const frame: Frame = { seq: ++this.seq, delta, texts: new Map() };
    this.frames.push(frame);
    if (this.frames.length > this.opts.keepFrames) this.frames.shift();
    for (const s of this.subs) this.deliver(s, frame);
    return delta;
  }

  private deliver(sub: Subscription, f: Frame): void {
    const key = sub.location ?? '';
    let text = f.texts.get(key);
    if (text === undefined) {
      text = encodeDelta(f.delta, sub.location === undefined ? null : this.keepOf(sub.location));
      f.texts.set(key, text);
    }
    if (text) sub.push({ event: LIVE_EVENTS.delta, id: `${this.epoch}.${f.seq}`, data: text });
  }

  private keepOf(location: string): Set<number> {
    let keep = this.keepByLocation.get(location);
    if (!keep) {
      keep = new Set([...this.targets.values()].filter((t) => effectiveLocations(t.locations).includes(location)).map((t) => t.id));
      this.keepByLocation.set(location, keep);
    }
    return keep;
  }

  /** Compares results and states with what was sent; records them as sent. */
  private scan(): LiveDelta | null {
    const t = Math.floor(this.src.now() / 1000);
    const r: { id: number; a: number; o: number; c: number | null; e: string | null }[] = [];
    const n: { id: number; a: number }[] = [];
    const first = this.timer === null;
    this.src.latest.forEach((res, id) => {
      if (!this.targets.has(id)) return;
      const prev = this.sent.get(id);
      if (prev && res.startedAt <= prev.at) return;
      const o = outcomeCode(res.outcome);
      const c = roundConnect(res.connectMs);
      const e = res.errorCode;
      const a = Math.max(0, t - Math.floor(res.startedAt / 1000));
      if (prev && prev.o === o && prev.c === c && prev.e === e) n.push({ id, a });
      else r.push({ id, a, o, c, e });
      this.sent.set(id, { at: res.startedAt, o, c, e });
    });
    const s: { id: number; v: number; since: number | null }[] = [];
    for (const target of this.targets.values()) {
      const live = target.enabled ? this.src.state(target.id) : undefined;
      const v = stateCode(live?.state ?? 'unknown');
      const since = live?.since ?? null;
      const prev = this.sentState.get(target.id);
      // a target the state actor does not track (yet) keeps what the snapshot said
      if (target.enabled && !live) continue;
      if (prev && prev.v === v && prev.since === since) continue;
      this.sentState.set(target.id, { v, since });
      if (prev || !first) s.push({ id: target.id, v, since });
    }
    if (first || (r.length === 0 && n.length === 0 && s.length === 0)) return null;
    const byId = (x: { id: number }, y: { id: number }) => x.id - y.id;
    r.sort(byId);
    n.sort(byId);
    s.sort(byId);
    const delta: LiveDelta = { t };
    if (r.length) delta.r = { i: r.map((x) => x.id), a: r.map((x) => x.a), o: r.map((x) => x.o), c: r.map((x) => x.c) };
    if (n.length) delta.n = { i: n.map((x) => x.id), a: n.map((x) => x.a) };
    if (s.length) delta.s = { i: s.map((x) => x.id), v: s.map((x) => x.v), since: s.map((x) => x.since) };
    const e: Record<number, string> = {};
    r.forEach((x, k) => x.e !== null && (e[k] = x.e));
    if (delta.r && Object.keys(e).length) delta.r.e = e;
    return delta;
  }
}
