/**
 * NetWatch's own faults while probing (issue 15 §3–4, issue 7 §4): `local_error` results by errno
 * over the last minute, and the descriptor budget's state. Health reads {@link LocalFaults.health}:
 * while any happened in the last 60 s, NetWatch is `degraded` and says why, in words an operator
 * can act on (raise `ulimit -n`, widen `net.ipv4.ip_local_port_range`, probe fewer targets), and
 * while NetWatch itself was stalled in the last 60 s (stall.ts, issue 16 §1).
 */
import type { LocalHealth, ProbeResult } from '../domain/types.js';
import type { DescriptorBudget } from './fd-budget.js';
import { RecentCounts } from './recent-counts.js';
import type { StallWatch } from './stall.js';

/** What each local errno means for an operator (errno(3), connect(2), socket(2)). */
const CAUSES: Record<string, string> = {
  EMFILE: 'the process ran out of file descriptors (raise ulimit -n / LimitNOFILE)',
  ENFILE: 'the system ran out of file descriptors (fs.file-max)',
  EADDRNOTAVAIL: "no free local port to connect from (net.ipv4.ip_local_port_range), or a target's source address is no longer on this host",
  EADDRINUSE: "every port of a target's source port range was in use (widen the range or use close mode rst)",
  ENOBUFS: 'the kernel ran out of socket buffers',
  ENOMEM: 'the kernel ran out of memory',
  EFDBUDGET: 'no probe descriptor came free within the slot (descriptor budget)',
  ESTALL: 'NetWatch itself was stalled past their deadline, so they were not measured',
};

export type { LocalHealth } from '../domain/types.js';

/** Records local failures; one instance per running actor system. */
export class LocalFaults {
  private readonly errors = new RecentCounts();

  constructor(
    readonly budget: DescriptorBudget,
    readonly stallWatch?: StallWatch,
  ) {}

  /** Notes a probe result; only `local_error` ones are counted (by errorCode). */
  record(r: ProbeResult, now = Date.now()): void {
    if (r.outcome === 'local_error') this.errors.add(r.errorCode ?? 'EUNKNOWN', now);
  }

  /** The health summary at `now` (UTC epoch ms). */
  health(now: number): LocalHealth {
    const errorsLastMinute = this.errors.counts(now);
    const descriptors = this.budget.stats(now);
    const reasons: string[] = [];
    if (descriptors.waitedLastMinute > 0 || descriptors.refusedLastMinute > 0) {
      reasons.push(
        `probe descriptor budget exhausted: ${descriptors.size} sockets (descriptor limit ${descriptors.limit} minus ${descriptors.reserve} reserved); ` +
          `in the last minute ${descriptors.waitedLastMinute} probes waited for one and ${descriptors.refusedLastMinute} got none within their slot`,
      );
    }
    for (const [code, n] of Object.entries(errorsLastMinute)) {
      if (code === 'EFDBUDGET') continue; // said above
      reasons.push(`${n} probes failed locally with ${code} in the last minute: ${CAUSES[code] ?? 'a local resource ran out'}`);
    }
    const stalls = this.stallWatch?.summary(now) ?? { lastMinute: 0, longestMs: null, lastEndedAt: null, total: 0 };
    if (stalls.lastMinute > 0) {
      reasons.push(
        `NetWatch itself was stalled ${stalls.lastMinute === 1 ? 'once' : `${stalls.lastMinute} times`} in the last minute, for up to ${(stalls.longestMs! / 1000).toFixed(1)} s ` +
          '(its process or VM was paused, or the host was overloaded): probes due then started late, and any it could not judge are "not measured" (ESTALL), not failures',
      );
    }
    return { status: reasons.length > 0 ? 'degraded' : 'ok', reasons, errorsLastMinute, errorsTotal: Object.fromEntries(this.errors.total), descriptors, stalls };
  }
}
