/**
 * The Markdown table bench/run.ts prints of everything measured.
 */
import type { ProbeRow } from './probe.js';
import type { CeilingRow } from './ceiling.js';

export function pct(x: number | null | undefined): string {
  return x == null ? '–' : `${(x * 100).toFixed(2)} %`;
}

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
    lines.push('| charts (issue 13) | median ms | goal ms | JSON KiB | gzip KiB |', '|---|---|---|---|---|');
    for (const d of res.charts)
      for (const q of d.queries) lines.push(`| ${q.dialect} ${q.query} | ${q.medianMs} | < ${q.goalMs} | ${Math.round(q.bytes / 1024)} | ${Math.round(q.gzipBytes / 1024)} |`);
    lines.push('');
  }
  if (res.probe) {
    lines.push(
      '| probe capacity | probes/s | vs ceiling | on time | lag p50/p99/max ms | written/s | made / stored / lost / dropped | RSS MB (peak) | CPU % |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const r of res.probe as ProbeRow[]) {
      const c = ceil.get(r.targets);
      lines.push(
        `| ${r.dialect} ${r.targets} × 1 s, ${r.seconds} s | ${r.probesPerSec} | ${c ? pct(r.probesPerSec / c) : '–'} | ${pct(r.onTime)} | ${r.lag.p50}/${r.lag.p99}/${r.lag.max} | ${r.writtenPerSec} | ${r.probesMade} / ${r.rowsStored} / ${r.lost} / ${r.dropped} | ${r.rssMB} | ${r.cpuPct} |`,
      );
    }
    lines.push('');
  }
  if (res.ingest) {
    lines.push('| ingest (storeBatch, 1,000/batch) | rows | s | rows/s |', '|---|---|---|---|');
    for (const r of res.ingest) lines.push(`| ${r.dialect} | ${r.rows} | ${r.seconds} | ${r.rowsPerSec} |`);
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
  }
  return lines.join('\n');
}
