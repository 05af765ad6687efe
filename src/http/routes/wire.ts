/**
 * The spoke engineer's routes (issue 8, "The wire view"; all need a session, viewers included):
 * - `GET /api/targets/:id/wire` → {@link WireView}: the next 10 send times (UTC epoch ms, from the
 *   schedule rule phase + k·interval, src/actors/schedule.ts; none while the target is disabled), what the host resolves to now, and
 *   copy-ready capture filters (src/domain/wire-filters.ts). Addresses are as the hub sends them,
 *   before any NAT. 404 for an unknown id.
 * - `GET /api/targets/:id/results.csv?from&to&location` (UTC epoch ms; to defaults to now, from to to − 1 h;
 *   `location`: only the results probed from that location, issue 10)
 *   → `text/csv` attachment, streamed page by page, oldest first: a header row, then one row per
 *   result in [from, to) with every result field (src/http/results-csv.ts). 400 with per-field
 *   messages for a bad range, 404 for an unknown id; both are decided before the first byte.
 */
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { nextSlot, phaseMs } from '../../actors/schedule.js';
import { wireFilters, type WireFilterInput, type WireFilters } from '../../domain/wire-filters.js';
import { NotFoundError } from '../../errors.js';
import { resultsAscending, type ResultCursor } from '../../store/results.js';
import { getTarget } from '../../store/targets.js';
import type { AppDeps, AppEnv } from '../deps.js';
import { resolveNow } from '../resolve-now.js';
import { csvHeader, csvRows } from '../results-csv.js';
import { parseId, queryOf } from '../validate.js';
import { epochMs, timeRange } from './history.js';
import { locationName } from '../../domain/location-rules.js';
import { doc } from '../openapi/markers.js';
import { WireView } from '../openapi/shapes.js';

/** How many upcoming send times the wire view lists. */
export const NEXT_SLOTS = 10;
/** Rows read from the store per CSV page. */
const CSV_PAGE = 1000;

/** Body of `GET /api/targets/:id/wire`. */
interface WireView {
  /** The next {@link NEXT_SLOTS} send times after now, UTC epoch ms, ascending; empty for a disabled target. */
  nextSlots: number[];
  /** IP literals the host resolves to now, in the resolver's order; empty when it did not resolve. */
  addresses: string[];
  /** Why resolution failed (e.g. ENOTFOUND, EAI_TIMEOUT), else null. */
  dnsError: string | null;
  filters: WireFilters;
}

const csvQuery = z.object({ from: epochMs('from'), to: epochMs('to'), location: locationName.optional() });

/** Builds the wire-view and CSV routes (mounted at /api/targets). */
export function wireRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const mustGet = async (raw: string) => {
    const id = parseId(raw);
    const t = id === undefined ? undefined : await getTarget(deps.db, id);
    if (!t) throw new NotFoundError('Target');
    return t;
  };

  app.get('/:id/wire', doc({ summary: 'Next send times, resolved addresses and capture filters', tags: ['wire'], ok: WireView, errors: [404] }), async (c) => {
    const t = await mustGet(c.req.param('id'));
    const intervalMs = t.intervalSeconds * 1000;
    const phase = phaseMs(t.id, intervalMs);
    const first = nextSlot(deps.now() + 1, phase, intervalMs);
    // a disabled target sends nothing
    const nextSlots = t.enabled ? Array.from({ length: NEXT_SLOTS }, (_, k) => first + k * intervalMs) : [];
    const resolved = await resolveNow(t.host);
    // only the addresses the target's addressFamily lets the probe dial
    const addresses = resolved.addresses.filter((a) => t.addressFamily === 'any' || (t.addressFamily === 'ipv6') === a.includes(':'));
    const dnsError = resolved.dnsError ?? (resolved.addresses.length > 0 && addresses.length === 0 ? 'ENOTFOUND' : null);
    const source: Pick<WireFilterInput, 'sourceAddress' | 'sourcePortMin' | 'sourcePortMax'> = {
      sourceAddress: t.sourceAddress,
      sourcePortMin: t.sourcePortMin,
      sourcePortMax: t.sourcePortMax,
    };
    const filters = wireFilters({ targetId: t.id, addresses, host: t.host, port: t.port, ...source });
    const view: WireView = { nextSlots, addresses, dnsError, filters };
    return c.json(view);
  });

  app.get('/:id/results.csv', doc({ summary: 'Probe results of a range as CSV', tags: ['wire'], media: 'text/csv', errors: [404] }), queryOf(csvQuery), async (c) => {
    const t = await mustGet(c.req.param('id'));
    const q = c.req.valid('query');
    const { from, to } = timeRange(deps, q);
    c.header('Content-Type', 'text/csv; charset=utf-8; header=present');
    c.header('Content-Disposition', `attachment; filename="netwatch-target-${t.id}-${from}-${to}.csv"`);
    c.header('Cache-Control', 'no-store');
    return stream(
      c,
      async (out) => {
        await out.write(csvHeader());
        let after: ResultCursor | null = null;
        do {
          const page = await resultsAscending(deps.db, t.id, { from, to, limit: CSV_PAGE, after, location: q.location });
          if (page.results.length > 0) await out.write(csvRows(page.results));
          after = page.next;
        } while (after && !out.aborted);
      },
      async (err) => {
        // Headers are sent: the download ends short; the log says why.
        deps.log.warn({ err, targetId: t.id, from, to }, 'CSV download ended early');
      },
    );
  });

  return app;
}
