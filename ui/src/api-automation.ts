/**
 * API calls of the automation pages (issue 14): personal API tokens, the audit log and
 * configuration export/import. Kept apart from api.ts; every call goes through its {@link request}.
 */
import type { FieldChange } from '../../src/domain/audit-diff.ts';
import type { AuditEntry } from '../../src/store/audit.ts';
import { query, request } from './api.ts';

export type { AuditEntry, FieldChange };

/** A token as listed (times UTC epoch ms). */
export interface ApiTokenView {
  id: number;
  name: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  lastUsedFrom: string | null;
}

/** A page of audit entries; pass `next` as `before` for the following page (null: last page). */
export interface AuditPage {
  entries: AuditEntry[];
  next: number | null;
}

/** What an import does (or would do, `dryRun`). */
export interface ImportReport {
  dryRun: boolean;
  mode: 'merge' | 'replace';
  summary: { create: number; update: number; delete: number; unchanged: number };
  create: ({ key: string | null; name: string; host: string; port: number } & Record<string, unknown>)[];
  update: { id: number; key: string | null; name: string; changes: Record<string, FieldChange> }[];
  delete: { id: number; key: string | null; name: string }[];
  unchanged: { id: number; name: string }[];
  /** Only when the file has a users section (a created user has no password until an admin sets one). */
  users?: {
    summary: { create: number; update: number; unchanged: number };
    create: { username: string; role: string; passwordSet: false }[];
    update: { id: number; username: string; changes: Record<string, FieldChange> }[];
    unchanged: { id: number; username: string }[];
  };
  /** Only when the file has a channels section; `secretsMissing`: required secrets not set (the channel sends nothing until set). */
  channels?: {
    summary: { create: number; update: number; unchanged: number };
    create: { name: string; kind: string; secretsMissing: string[] }[];
    update: { id: number; name: string; changes: Record<string, FieldChange>; secretsMissing: string[] }[];
    unchanged: { id: number; name: string }[];
  };
}

/** Filters of the audit page (times UTC epoch ms). */
export interface AuditFilter {
  from?: number | undefined;
  to?: number | undefined;
  actor?: string | undefined;
  targetId?: number | undefined;
  before?: number | undefined;
  limit?: number | undefined;
}

export const automationApi = {
  /** Own tokens; `all` (admins): every user's, each with its owner's `username`. */
  tokens: (all = false) => request<{ tokens: (ApiTokenView & { username?: string })[] }>(`/tokens${all ? '?all=true' : ''}`),
  createToken: (name: string, expiresAt: number | null) => request<ApiTokenView & { token: string }>('/tokens', { method: 'POST', body: { name, expiresAt } }),
  revokeToken: (id: number) => request<void>(`/tokens/${id}`, { method: 'DELETE' }),
  audit: (f: AuditFilter) => request<AuditPage>(`/audit${query({ ...f })}`),
  targetChanges: (id: number, before?: number) => request<AuditPage>(`/targets/${id}/changes${query({ before, limit: 20 })}`),
  /** Imports a parsed file (sent as JSON). */
  importConfig: (file: unknown, mode: 'merge' | 'replace', dryRun: boolean) => request<ImportReport>(`/config${query({ mode, dryRun })}`, { method: 'POST', body: file }),
};
