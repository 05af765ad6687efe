/**
 * Shared by the bench sections: command-line flags and the figures they set, small helpers, and
 * {@link command} (the command that reproduces one figure).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { testMysqlServer } from '../../tests/helpers/stores.js';

/** The bench/ folder (listeners.mjs, run.ts, results.json). */
export const here = join(dirname(fileURLToPath(import.meta.url)), '..');
export const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    targets: { type: 'string' },
    only: { type: 'string' },
    dialect: { type: 'string' },
    'ingest-rows': { type: 'string' },
    'mysql-targets': { type: 'string' },
    out: { type: 'string' },
    /** internal: run one probe-capacity case in this (child) process and print it */
    'inner-probe': { type: 'string' },
  },
});

export const SECONDS = Number(args.seconds ?? (args.quick ? 10 : 30));
export const TARGETS = (args.targets ?? (args.quick ? '1000,10000' : '1000,5000,10000,20000')).split(',').map(Number);
// MariaDB probe runs: 1,000 and 10,000 by default (all four sizes on both stores do not fit in 10 min)
export const MYSQL_TARGETS = (args['mysql-targets'] ?? (args.targets || args.quick ? TARGETS.join(',') : '1000,10000')).split(',').map(Number);
export const INGEST_ROWS = Number(args['ingest-rows'] ?? (args.quick ? 200_000 : 1_000_000));
export const ONLY = new Set((args.only ?? 'probe,ceiling,ingest,history,charts,dashboard,start,config').split(','));
export const DIALECTS = (args.dialect ?? (testMysqlServer() ? 'sqlite,mysql' : 'sqlite')).split(',') as ('sqlite' | 'mysql')[];
export const CEILING_SECONDS = Math.min(SECONDS, 15);
/** Hours of hourly rollups per target stored before the dashboard is read. */
export const HISTORY_HOURS = 7 * 24;
export const silent = pino({ level: 'silent' });
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const r1 = (x: number) => Math.round(x * 10) / 10;
export const mb = (b: number) => Math.round(b / 1048576);

/** Reproduce one figure: the same bench, narrowed to that section. */
export function command(section: string, extra: Record<string, string | number> = {}): string {
  const env = extra.dialect === 'mysql' ? 'NETWATCH_TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/x ' : '';
  const flags = Object.entries({ only: section, ...extra })
    .map(([k, v]) => `--${k} ${v}`)
    .join(' ');
  return `${env}npm run bench -- ${flags}`;
}
