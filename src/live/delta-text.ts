/** The text of one live delta for one subscriber (issue 12 §4): only its location's targets, ids delta-encoded. */
import { deltaIds, type LiveDelta } from '../domain/live-frame.js';

/**
 * JSON of a delta with its ids delta-encoded, keeping only the targets in `keep` (null: all).
 * @returns '' when nothing is left for this subscriber
 */
export function encodeDelta(d: LiveDelta, keep: Set<number> | null): string {
  const pick = <T>(ids: number[], col: T[]) => (keep ? col.filter((_, k) => keep.has(ids[k]!)) : col);
  const out: LiveDelta = { t: d.t };
  if (d.r) {
    const i = pick(d.r.i, d.r.i);
    if (i.length) {
      out.r = { i: deltaIds(i), a: pick(d.r.i, d.r.a), o: pick(d.r.i, d.r.o), c: pick(d.r.i, d.r.c) };
      if (d.r.e) {
        const e: Record<number, string> = {};
        let k2 = 0;
        d.r.i.forEach((id, k) => {
          if (keep && !keep.has(id)) return;
          const code = d.r!.e![k];
          if (code !== undefined) e[k2] = code;
          k2++;
        });
        if (Object.keys(e).length) out.r.e = e;
      }
    }
  }
  if (d.n) {
    const i = pick(d.n.i, d.n.i);
    if (i.length) out.n = { i: deltaIds(i), a: pick(d.n.i, d.n.a) };
  }
  if (d.s) {
    const i = pick(d.s.i, d.s.i);
    if (i.length) out.s = { i: deltaIds(i), v: pick(d.s.i, d.s.v), since: pick(d.s.i, d.s.since) };
  }
  return out.r || out.n || out.s ? JSON.stringify(out) : '';
}
