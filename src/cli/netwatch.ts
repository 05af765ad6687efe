#!/usr/bin/env node
/**
 * `netwatch` command line (issue 14 §3): exports and imports the configuration of a running
 * NetWatch through its API with a personal API token.
 *
 *   NETWATCH_URL=http://127.0.0.1:8080 NETWATCH_TOKEN=nwt_… npm run --silent netwatch -- export > netwatch.yaml
 *   npm run netwatch -- export --format json --out netwatch.json
 *   npm run netwatch -- import netwatch.yaml [--dry-run] [--replace]
 *
 * Environment (read here once; this program does not load the server's config): NETWATCH_URL
 * (default http://127.0.0.1:8080, may include a base path), NETWATCH_TOKEN (required).
 * Exit codes: 0 done, 1 the server refused or could not be reached (its message and every
 * problem by path on stderr), 2 wrong usage. Arguments are parsed by node:util parseArgs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const USAGE = `Usage:
  netwatch export [--format yaml|json] [--users] [--channels] [--out FILE]
  netwatch import FILE [--dry-run] [--replace]
Environment: NETWATCH_URL (default http://127.0.0.1:8080), NETWATCH_TOKEN (an API token; create one on the API tokens page)`;

/** A failure with the exit code to end with. */
class CliError extends Error {
  constructor(
    message: string,
    readonly code: 1 | 2,
  ) {
    super(message);
  }
}

interface Env {
  url: string;
  token: string;
}

function readEnv(env: NodeJS.ProcessEnv): Env {
  const token = env.NETWATCH_TOKEN?.trim();
  if (!token) throw new CliError('NETWATCH_TOKEN is not set: create an API token in NetWatch (Tokens) and export it.', 2);
  const raw = env.NETWATCH_URL?.trim() || 'http://127.0.0.1:8080';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`NETWATCH_URL is not a URL: ${raw}`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`NETWATCH_URL must be http:// or https://, not ${url.protocol}`, 2);
  return { url: url.href.replace(/\/+$/, ''), token };
}

async function call(env: Env, method: string, path: string, body?: { type: string; text: string }): Promise<Response> {
  try {
    return await fetch(`${env.url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${env.token}`, ...(body && { 'content-type': body.type }) },
      ...(body && { body: body.text }),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`Cannot reach NetWatch at ${env.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`, 1);
  }
}

/** Turns a non-2xx answer into a CliError with the server's message and per-path problems. */
async function refused(res: Response): Promise<CliError> {
  const text = await res.text();
  let lines = [`NetWatch answered ${res.status}: ${text.slice(0, 500)}`];
  try {
    const j = JSON.parse(text) as { message?: string; fields?: Record<string, string> };
    lines = [`NetWatch answered ${res.status}: ${j.message ?? ''}`, ...Object.entries(j.fields ?? {}).map(([p, m]) => `  ${p}: ${m}`)];
  } catch {
    // not JSON: the text as it came
  }
  return new CliError(lines.join('\n'), 1);
}

async function runExport(env: Env, format: string, out: string | undefined, users = false, channels = false) {
  if (format !== 'yaml' && format !== 'json') throw new CliError('--format must be yaml or json', 2);
  const res = await call(env, 'GET', `/config?format=${format}${users ? '&users=true' : ''}${channels ? '&channels=true' : ''}`);
  if (!res.ok) throw await refused(res);
  let text = await res.text();
  if (format === 'json') text = `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  if (out) await writeFile(out, text);
  else process.stdout.write(text);
}

interface ImportReport {
  dryRun: boolean;
  mode: string;
  summary: Record<string, number>;
  create: { key: string | null; name: string }[];
  update: { id: number; name: string; changes: Record<string, { before: unknown; after: unknown }> }[];
  delete: { id: number; name: string }[];
  users?: { create: { username: string; role: string }[]; update: { username: string; changes: Record<string, { before: unknown; after: unknown }> }[] };
  channels?: { create: { name: string; kind: string; secretsMissing: string[] }[]; update: { name: string; secretsMissing: string[]; changes: Record<string, { before: unknown; after: unknown }> }[] };
}

async function runImport(env: Env, file: string, dryRun: boolean, replace: boolean) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read ${file}: ${(err as Error).message}`, 1);
  }
  // `npm run netwatch -- export > file` without --silent puts npm's own "> netwatch@… netwatch" banner first
  if (/^\s*> \S+@\S+ netwatch\b/.test(text)) {
    throw new CliError(`${file} starts with npm's banner, not the exported file: export again with \`npm run --silent netwatch -- export > ${file}\` or \`--out ${file}\`.`, 1);
  }
  const type = /\.json$/i.test(file) ? 'application/json' : 'application/yaml';
  const res = await call(env, 'POST', `/config?mode=${replace ? 'replace' : 'merge'}&dryRun=${dryRun}`, { type, text });
  if (!res.ok) throw await refused(res);
  const r = (await res.json()) as ImportReport;
  const s = r.summary;
  const counts = r.dryRun
    ? `${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged`
    : `${s.create} created, ${s.update} updated, ${s.delete} deleted, ${s.unchanged} unchanged`;
  const out = [`${r.dryRun ? 'Dry run (nothing changed)' : 'Imported'} in ${r.mode} mode: ${counts}`];
  for (const c of r.create) out.push(`+ ${c.name}${c.key ? ` [${c.key}]` : ''}`);
  for (const u of r.update) {
    out.push(`~ ${u.name} (id ${u.id})`);
    for (const [f, ch] of Object.entries(u.changes)) out.push(`    ${f}: ${JSON.stringify(ch.before)} → ${JSON.stringify(ch.after)}`);
  }
  for (const d of r.delete) out.push(`- ${d.name} (id ${d.id})`);
  for (const u of r.users?.create ?? []) out.push(`+ user ${u.username} (${u.role}; no password until an admin sets one)`);
  for (const u of r.users?.update ?? []) {
    out.push(`~ user ${u.username}`);
    for (const [f, ch] of Object.entries(u.changes)) out.push(`    ${f}: ${JSON.stringify(ch.before)} → ${JSON.stringify(ch.after)}`);
  }
  const noSecret = (m: string[]) => (m.length > 0 ? `; sends nothing until ${m.join(', ')} is set on the Channels page` : '');
  for (const ch of r.channels?.create ?? []) out.push(`+ channel ${ch.name} (${ch.kind}${noSecret(ch.secretsMissing)})`);
  for (const ch of r.channels?.update ?? []) {
    out.push(`~ channel ${ch.name}${noSecret(ch.secretsMissing)}`);
    for (const [f, c] of Object.entries(ch.changes)) out.push(`    ${f}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'yaml' },
        users: { type: 'boolean', default: false },
        channels: { type: 'boolean', default: false },
        out: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        replace: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  if (command === 'export' && rest.length === 0) return runExport(readEnv(process.env), values.format, values.out, values.users, values.channels);
  if (command === 'import' && rest.length === 1) return runImport(readEnv(process.env), rest[0]!, values['dry-run'], values.replace);
  throw new CliError(USAGE, 2);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof CliError) {
    process.stderr.write(`netwatch: ${err.message}\n`);
    process.exitCode = err.code;
  } else {
    process.stderr.write(`netwatch: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
});
