/**
 * One client's live stream (issue 12 §4): the deltas waiting for it, a heartbeat after a silence,
 * and the rule that keeps a slow client from growing the server's memory: past `maxQueued`
 * waiting items its queue becomes one `resync` (shared strings, never copies) and nothing more.
 */
import { LIVE_EVENTS } from '../domain/live-frame.js';

/** What a subscription needs of the hub's options (hub.ts HubOptions). */
export interface SubscriptionOptions {
  /** Deltas a subscriber may have waiting before it is sent `resync` instead. */
  maxQueued: number;
  /** Idle time after which a subscriber gets an SSE comment so proxies keep the stream, ms. */
  heartbeatMs: number;
}

/** What a subscriber writes next: an SSE event (`id` set for deltas) or a heartbeat comment. */
export type HubItem = { event: string; id?: string; data: string } | { comment: string };

/** One client's stream: {@link next} yields what to write, null once closed. */
export class Subscription {
  private queue: HubItem[] = [];
  private wake: (() => void) | null = null;
  private closed = false;
  /** True once it fell behind (a `resync` is queued and nothing more is). */
  overflowed = false;

  constructor(
    readonly location: string | undefined,
    private readonly opts: SubscriptionOptions,
    private readonly onClose: (s: Subscription) => void,
  ) {}

  /** Queues an item; past `maxQueued` the queue becomes one `resync`. */
  push(item: HubItem): void {
    if (this.closed || this.overflowed) return;
    if (this.queue.length >= this.opts.maxQueued) {
      this.queue = [{ event: LIVE_EVENTS.resync, data: 'behind' }];
      this.overflowed = true;
    } else this.queue.push(item);
    this.wake?.();
  }

  /** Number of items waiting. */
  get waiting(): number {
    return this.queue.length;
  }

  /** The next item, a heartbeat after `heartbeatMs` of silence, or null once closed. */
  async next(): Promise<HubItem | null> {
    if (this.queue.length === 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = null;
          resolve();
        }, this.opts.heartbeatMs);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
    if (this.closed) return null;
    return this.queue.shift() ?? { comment: 'heartbeat' };
  }

  /** Ends the subscription (client gone, or after `resync`). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.wake?.();
    this.onClose(this);
  }
}
