/** Shared state of the main browser flow, handed to the step files (steps-*.ts). */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { ROOT, type ServerHandle } from './harness.ts';

/** A target name that would run script if it were ever rendered as HTML. */
export const XSS = '<img src=x onerror=alert(1)>';
/** Password of the first user. */
export const PASSWORD = 'correct horse battery';

/** Options of the main flow. */
export interface FlowOptions {
  /** Label used in test names and screenshot file names. */
  label: string;
  /** Extra server env (e.g. MYSQL_*) and its cleanup; called in beforeAll. */
  env?: () => Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }>;
  /** Copy dashboard/history screenshots to docs/screenshots. */
  publishScreenshots?: boolean;
}

/** What every step reads; filled in by the flow's beforeAll, so read it inside `it` callbacks. */
export interface FlowContext {
  opts: FlowOptions;
  server: ServerHandle;
  context: BrowserContext;
  page: Page;
  /** A listening loopback port (an "up" target). */
  open: { port: number };
  /** A loopback port nothing listens on (a "down (refused)" target). */
  refusedPort: number;
  /** Target ids by role: `open`, `closed`, `xss`. */
  ids: Record<string, number>;
  /** Messages of any alert/confirm/prompt the page raised (must stay empty). */
  dialogs: string[];
  /** Uncaught page errors (must stay empty). */
  pageErrors: string[];
  /** The dashboard row of a target by role. */
  row: (name: string) => Locator;
  /** Saves a screenshot to test-results/<label>-<name>.png. */
  shot: (name: string) => Promise<string>;
}

/**
 * Copies a screenshot into docs/screenshots (committed) when it is missing there or when
 * UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the working tree clean.
 */
export function publish(path: string, name: string): void {
  const dir = join(ROOT, 'docs', 'screenshots');
  const dest = join(dir, name);
  if (existsSync(dest) && process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(dir, { recursive: true });
  copyFileSync(path, dest);
}
