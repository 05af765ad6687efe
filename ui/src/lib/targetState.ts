/**
 * How the UI words a target's state (issue 11): `Up for 3 min`, `Down for 2 h 5 min`, `Unknown`;
 * and the padded range a click on an outage zooms the charts to.
 */
import type { Outage, TargetState } from '../types.ts';
import { formatDuration } from './time.ts';

const LABEL: Record<TargetState, string> = { up: 'Up', down: 'Down', unknown: 'Unknown' };

/**
 * `Up for 3 min` from the state and since when (UTC epoch ms; null when unknown).
 * @param now current time, UTC epoch ms
 */
export function stateText(state: TargetState, since: number | null, now: number): string {
  if (state === 'unknown' || since === null) return LABEL[state];
  return `${LABEL[state]} for ${formatDuration(Math.max(0, now - since))}`;
}

/**
 * The range shown when an outage is clicked: the outage plus a tenth of its length (at least
 * 1 min) on each side; an open outage runs to `now`. UTC epoch ms.
 */
export function outageZoom(o: Pick<Outage, 'start' | 'end'>, now: number): { from: number; to: number } {
  const end = o.end ?? now;
  const pad = Math.max(60_000, Math.round((end - o.start) / 10));
  return { from: o.start - pad, to: Math.min(end + pad, Math.max(now, end)) };
}
