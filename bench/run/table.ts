/** The Markdown tables the bench prints at the end, from its results JSON. */
import { LIVE_GOALS } from '../live.js';
import { pct } from './common.js';
import type { CeilingRow } from './ceiling.js';
import type { ProbeRow } from './probe.js';

/** Markdown table of everything measured. */
export function table(res: any): string {
  const lines: string[] = [];
  const ceil = new Map<number, number>((res.ceiling?.rows ?? []).map((r: CeilingRow) => [r.targets, r.connectsPerSec]));
  if (res.ceiling) {
    lines.push(`Bare ceiling: closed loop, 256 in flight: ${res.ceiling.bareMax.connectsPerSec} connects/s`, '');
    lines.push('| ceiling (bare net.connect, 1 timer) | connects/s | on time | lag p50/p99/max ms | CPU % |', '|---|---|---|---|---|');
    for (const r of res.ceiling.rows as CeilingRow[])
      lines.push(`| ${r.targets} targets × 1 s, ${r.seconds} s | ${r.connectsPerSec} | ${pct(r.onTime)} | ${r.lag.p50}/${r.lag.p99}/${r.lag.max} | ${r.cpuPct} |`);
    lines.push('');
  }
  if (res.charts) {
    lines.push('| charts (issue 13) | median ms | CPU ms | goal ms | JSON KiB | gzip KiB |', '|---|---|---|---|---|---|');
    for (const d of res.charts)
      for (const q of d.queries) lines.push(`| ${q.dialect} ${q.query} | ${q.medianMs} | ${q.cpuMs} | < ${q.goalMs} | ${Math.round(q.bytes / 1024)} | ${Math.round(q.gzipBytes / 1024)} |`);
    lines.push('');
  }
  if (res.probe) {
    lines.push(
      '| probe capacity | probes/s | vs ceiling | on time | lag p50/p99/max ms | written/s | made / stored / lost / dropped | RSS MB (peak) | CPU % | full schedule s | writer rows/s |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of res.probe as ProbeRow[]) {
      const c = ceil.get(r.targets);
      lines.push(
        `| ${r.dialect} ${r.targets} × 1 s, ${r.seconds} s | ${r.probesPerSec} | ${c ? pct(r.probesPerSec / c) : '–'} | ${pct(r.onTime)} | ${r.lag.p50}/${r.lag.p99}/${r.lag.max} | ${r.writtenPerSec} | ${r.probesMade} / ${r.rowsStored} / ${r.lost} / ${r.dropped} | ${r.rssMB} | ${r.cpuPct} | ${r.fullScheduleSec ?? '–'} | ${r.writerRowsPerSec ?? '–'} |`,
      );
    }
    lines.push('');
  }
  if (res.ingest) {
    lines.push('| ingest (storeBatch, 1,000/batch) | rows | s | rows/s | rows per CPU s (client) |', '|---|---|---|---|---|');
    for (const r of res.ingest) lines.push(`| ${r.dialect} | ${r.rows} | ${r.seconds} | ${r.rowsPerSec} | ${r.rowsPerCpuSec} |`);
    lines.push('');
  }
  if (res.history) {
    lines.push('| history (GET, median of 5) | step s | buckets | ms |', '|---|---|---|---|');
    for (const h of res.history) for (const q of h.queries) lines.push(`| ${h.dialect} ${q.query} (${h.rawRows} raw rows) | ${q.step} | ${q.buckets} | ${q.medianMs} |`);
    lines.push('');
  }
  if (res.dashboard) {
    lines.push('| dashboard GET /api/targets | targets (with last result + ratio) | response MB | first ms | median ms |', '|---|---|---|---|---|');
    for (const r of res.dashboard)
      lines.push(`| ${r.dialect}, ${r.rollupHoursPerTarget} h of hourly rollups per target | ${r.targets} (${r.withLastResultAndRatio}) | ${r.responseMB} | ${r.firstMs} | ${r.medianMs} |`);
    lines.push('');
  }
  if (res.live) {
    const g = LIVE_GOALS;
    lines.push(
      `| live dashboard (issue 12 §4) | list median ms (< ${g.listMs}) | list KiB (< ${g.listBytes / 1000} kB) / gzip | stream B/s (< ${g.bytesPerSec / 1000} kB/s) | entries/s | change → SSE ms | change → screen ms (< ${g.changeMs}) | first row / all counted ms (< ${g.firstPaintMs}) | filter ms | scroll frame p95/max ms |`,
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of res.live)
      lines.push(
        `| ${r.dialect} ${r.targets} × 1 s | ${r.list.medianMs} (first ${r.list.firstMs}) | ${Math.round(r.list.bytes / 1024)} / ${Math.round(r.list.gzipBytes / 1024)} | ${r.steady.bytesPerSec} | ${r.steady.entriesPerSec} | ${r.change.sseMs.join('/')} | ${r.change.screenMs.join('/')} | ${r.chromium.firstRowMs} / ${r.chromium.allCountedMs} | ${r.chromium.filterMs.join('/')} | ${r.chromium.scrollFrameP95Ms}/${r.chromium.scrollFrameMaxMs} |`,
      );
  }
  if (res.nodes) {
    lines.push(
      '',
      `| nodes (issue 10), ${res.nodes.targets} targets at 1 s, MariaDB | node | targets | probes/s | on time | lag p50/p99/max ms | CPU % | lost / doubled slots (location) | MariaDB CPU % | load 1/5/15 |`,
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const w of res.nodes.windows) {
      for (const r of w.perNode) {
        lines.push(
          `| ${w.nodes} node${w.nodes > 1 ? 's' : ''}, ${w.seconds} s | ${r.node} | ${r.targets} | ${r.probesPerSec} | ${pct(r.onTime)} | ${r.lagP50}/${r.lagP99}/${r.lagMax} | ${r.cpuPct} | ${w.lost} / ${w.doubled} of ${w.expectedSlots} | ${w.mariadbCpuPct ?? '–'} | ${w.load.join(' ')} |`,
        );
      }
    }
  }
  return lines.join('\n');
}
