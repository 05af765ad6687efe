/**
 * The one API client of the UI. Every request goes through {@link request}: `<BASE>/api/...`
 * URLs, same-origin credentials, JSON bodies, typed {@link ApiError}s, a time limit
 * ({@link REQUEST_TIMEOUT_MS}), the report of each answer to lib/connection.ts (the stale-data
 * banner), and the single place where a 401 sends the user to the login page.
 */
import { BASE } from './lib/base.ts';
import { requestStarted } from './lib/connection.ts';
import { browserZone } from './lib/time.ts';

/** Every API call gives up after this long, ms (issue 16 §2): a frozen server is shown as one. */
export const REQUEST_TIMEOUT_MS = 8_000;
/** Statuses a reverse proxy answers with when NetWatch behind it is down or not answering. */
const PROXY_DOWN = new Set([502, 504]);
import type { Channel, ChannelInput, Delivery } from '../../src/domain/channel-rules.ts';
import type { MaintenanceInput, MaintenanceWindow } from '../../src/domain/maintenance.ts';
import { bucketsFromColumns } from '../../src/domain/history-columns.ts';
import type { RawColumns } from '../../src/domain/raw-columns.ts';
import type { LiveSnapshot } from '../../src/domain/live-frame.ts';
import type {
  Compare,
  HealthReport,
  History,
  HistoryColumnsResponse,
  Outage,
  StateEvent,
  Wall,
  ProbeResult,
  Role,
  Sparklines,
  Target,
  TargetBody,
  TargetRow,
  User,
  WireView,
  NodesReport,
} from './types.ts';

/** An error response of the API (or a network failure, status 0). */
export class ApiError extends Error {
  /** HTTP status, 0 when the request did not reach the server. */
  readonly status: number;
  /** The API's `error` code, e.g. `validation`, `unauthorized`, `conflict`. */
  readonly code: string;
  /** Per-field messages of a 400 validation error (`{}` otherwise). */
  readonly fields: Record<string, string>;

  constructor(status: number, code: string, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

let onUnauthorized: () => void = () => {
  if (location.pathname !== `${BASE}/login`) location.assign(`${BASE}/login`);
};

/** Replaces what happens on a 401 (the app installs a router navigation to /login). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Don't redirect to /login on 401 (the login, setup and session-probe calls). */
  noAuthRedirect?: boolean;
  /** Statuses ≥ 400 whose body is still the answer (health's 503 report). */
  bodyOn?: readonly number[];
}

const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'Not logged in.',
  403: 'Not allowed.',
  404: 'Not found.',
  409: 'Conflict.',
  429: 'Too many attempts; wait a minute.',
};

/**
 * Sends one API request and returns the parsed JSON body (undefined for 204).
 * @throws {ApiError} status 0 with code `network` (no answer) or `timeout` (none within
 * {@link REQUEST_TIMEOUT_MS}); the API's status and code otherwise
 */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  let text: string;
  const done = requestStarted();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  try {
    res = await fetch(`${BASE}/api${path}`, {
      method: opts.method ?? 'GET',
      credentials: 'same-origin',
      headers: opts.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: abort.signal,
    });
    text = res.status === 204 ? '' : await res.text();
  } catch (e) {
    done(false);
    if (abort.signal.aborted) throw new ApiError(0, 'timeout', `The server did not answer within ${REQUEST_TIMEOUT_MS / 1000} s.`);
    throw new ApiError(0, 'network', `Cannot reach the server (${e instanceof Error ? e.message : String(e)}).`);
  } finally {
    clearTimeout(timer);
  }
  done(!PROXY_DOWN.has(res.status));
  if (res.status === 204) return undefined as T;
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok && !opts.bodyOn?.includes(res.status)) {
    const body = (data ?? {}) as { error?: string; message?: string; fields?: Record<string, string> };
    const err = new ApiError(res.status, body.error ?? `http_${res.status}`, body.message ?? DEFAULT_MESSAGES[res.status] ?? `Request failed (HTTP ${res.status}).`, body.fields ?? {});
    if (res.status === 401 && !opts.noAuthRedirect) onUnauthorized();
    throw err;
  }
  return data as T;
}

/** Builds a query string from defined values (`?a=1&b=x`, or `''`). */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** Typed calls of every endpoint the UI uses. */
export const api = {
  /** The health report, for 200 (ok) and 503 (degraded) alike. */
  health: () => request<HealthReport>('/health', { noAuthRedirect: true, bodyOn: [503] }),
  setupRequired: () => request<{ required: boolean }>('/setup', { noAuthRedirect: true }),
  setup: (body: { token: string; username: string; password: string }) => request<User>('/setup', { method: 'POST', body, noAuthRedirect: true }),
  login: (username: string, password: string) => request<void>('/login', { method: 'POST', body: { username, password }, noAuthRedirect: true }),
  logout: () => request<void>('/logout', { method: 'POST', noAuthRedirect: true }),
  /** The current user; 401 (no redirect) when not logged in. */
  me: () => request<User>('/me', { noAuthRedirect: true }),

  /** Targets; with `location`, only those that location probes, each with that location's newest result (issue 10). */
  targets: (location?: string) => request<{ targets: TargetRow[] }>(`/targets${query({ location })}`),
  /** The live dashboard's compact list (GET /api/events/snapshot; issue 12 §4). */
  liveSnapshot: (location?: string) => request<LiveSnapshot>(`/events/snapshot${query({ location })}`),
  target: (id: number) => request<Target>(`/targets/${id}`),
  createTarget: (body: TargetBody) => request<Target>('/targets', { method: 'POST', body }),
  updateTarget: (id: number, body: Partial<TargetBody>) => request<Target>(`/targets/${id}`, { method: 'PUT', body }),
  deleteTarget: (id: number) => request<void>(`/targets/${id}`, { method: 'DELETE' }),
  /**
   * History with buckets on the local clock of `tz` (default: the browser's zone), fetched in the
   * columnar format (issue 13; up to 100,000 buckets) and kept as columns beside the buckets.
   */
  history: async (id: number, from: number, to: number, step: number | 'auto', tz = browserZone(), location?: string): Promise<History> => {
    const h = await request<HistoryColumnsResponse>(`/targets/${id}/history${query({ from, to, step, tz, format: 'columns', location })}`);
    return { from: h.from, to: h.to, step: h.step, tz: h.tz, buckets: bucketsFromColumns(h), columns: h };
  },
  results: (id: number, p: { from: number; to: number; limit: number; before?: number; location?: string | undefined }) => request<{ results: ProbeResult[] }>(`/targets/${id}/results${query(p)}`),
  /** Raw mode: every probe of [from, to) (at most 24 h) as columns, oldest first (issue 13 §2). */
  rawResults: (id: number, from: number, to: number) => request<RawColumns & { from: number; to: number }>(`/targets/${id}/results${query({ from, to, format: 'columns' })}`),
  /** Several targets on shared buckets (GET /api/charts/compare, at most 20 ids; issue 13 §3). */
  compare: (ids: readonly number[], from: number, to: number, step: number | 'auto' = 'auto', tz = browserZone()) =>
    request<Compare>(`/charts/compare${query({ ids: ids.join(','), from, to, step, tz })}`),
  /** Success-ratio cells of every target (GET /api/charts/wall; issue 13 §4), on the local clock of `tz` (default: the browser's zone). */
  wall: (range: '1h' | '24h' | '7d', part: { offset?: number; limit?: number } = {}, tz = browserZone()) =>
    request<Wall>(`/charts/wall${query({ range, tz, offset: part.offset, limit: part.limit })}`),
  /** Next send times, addresses now and capture filters of a target (GET /api/targets/:id/wire). */
  wire: (id: number) => request<WireView>(`/targets/${id}/wire`),
  sparklines: (ids: readonly number[], minutes = 60) => request<Sparklines>(`/sparklines${query({ ids: ids.join(','), minutes })}`),

  /** State changes (issue 11), newest first; times UTC epoch ms. */
  events: (q: { targetId?: number; from?: number; to?: number; limit?: number } = {}) => request<{ from: number; to: number; events: StateEvent[] }>(`/events${query(q)}`),
  /** Outages overlapping [from, to], oldest first. */
  outages: (q: { targetId?: number; from: number; to: number }) => request<{ from: number; to: number; outages: Outage[] }>(`/outages${query(q)}`),
  channels: () => request<{ channels: Channel[] }>('/channels'),
  createChannel: (body: ChannelInput) => request<Channel>('/channels', { method: 'POST', body }),
  updateChannel: (id: number, body: ChannelInput) => request<Channel>(`/channels/${id}`, { method: 'PUT', body }),
  deleteChannel: (id: number) => request<void>(`/channels/${id}`, { method: 'DELETE' }),
  /** One attempt now; the delivery says sent or failed and why. */
  testChannel: (id: number) => request<{ delivery: Delivery }>(`/channels/${id}/test`, { method: 'POST' }),
  deliveries: (q: { channelId?: number; targetId?: number; limit?: number } = {}) => request<{ deliveries: Delivery[] }>(`/deliveries${query(q)}`),
  targetChannels: (id: number) => request<{ channelIds: number[] }>(`/targets/${id}/channels`),
  setTargetChannels: (id: number, channelIds: number[]) => request<{ channelIds: number[] }>(`/targets/${id}/channels`, { method: 'PUT', body: { channelIds } }),
  maintenance: () => request<{ windows: MaintenanceWindow[] }>('/maintenance'),
  createMaintenance: (body: MaintenanceInput) => request<MaintenanceWindow>('/maintenance', { method: 'POST', body }),
  deleteMaintenance: (id: number) => request<void>(`/maintenance/${id}`, { method: 'DELETE' }),
  /** Every NetWatch node sharing the database (issue 10). */
  nodes: () => request<NodesReport>('/nodes'),
  /** Removes a down node's row (admin; 409 while it is up). */
  deleteNode: (name: string) => request<void>(`/nodes/${encodeURIComponent(name)}`, { method: 'DELETE' }),

  users: (q?: string) => request<{ users: User[] }>(`/users${query({ q })}`),
  createUser: (username: string, password: string, role: Role) => request<User>('/users', { method: 'POST', body: { username, password, role } }),
  updateUser: (id: number, body: { username?: string; password?: string; role?: Role }) => request<User>(`/users/${id}`, { method: 'PUT', body }),
  deleteUser: (id: number) => request<void>(`/users/${id}`, { method: 'DELETE' }),
};
