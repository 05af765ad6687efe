/**
 * Runs one of the shipped nginx configs with Debian's nginx (installed by .ci/run) on loopback for a
 * test: a throw-away TLS certificate for 127.0.0.1, the config with only its listen addresses,
 * upstream port and certificate paths replaced (each must appear exactly once), and an HTTPS
 * client that trusts only that certificate.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.js';
import { waitFor } from './wait.js';

const NGINX = '/usr/sbin/nginx';

/** A running nginx: its HTTPS and plain-HTTP base URLs, the CA to trust, the config it runs, and stop(). */
export interface Nginx {
  https: string;
  http: string;
  ca: string;
  conf: string;
  stop(): Promise<void>;
}

/** A response read whole. */
export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Starts nginx with `confFile` (repository-relative) in front of NetWatch on `upstreamPort`.
 * @throws when nginx is not installed, a replaced line is missing, or nginx does not listen within 10 s
 */
export async function startNginx(confFile: string, upstreamPort: number): Promise<Nginx> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: install Debian's nginx (apt-get install nginx; .ci/run does)`);
  const dir = mkdtempSync(join(tmpdir(), 'nw-nginx-'));
  const cert = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    { encoding: 'utf8' },
  );
  if (cert.status !== 0) throw new Error(`openssl failed: ${cert.stderr}`);
  const ports = { http: await freePort(), https: await freePort() };
  let conf = readFileSync(join(import.meta.dirname, '..', '..', confFile), 'utf8');
  const swap = (from: string, to: string) => {
    if (conf.split(from).length !== 2) throw new Error(`${confFile} should contain "${from}" exactly once`);
    conf = conf.replace(from, to);
  };
  swap('listen 80;', `listen 127.0.0.1:${ports.http};`);
  swap('listen 443 ssl;', `listen 127.0.0.1:${ports.https} ssl;`);
  swap('server 127.0.0.1:8080;', `server 127.0.0.1:${upstreamPort};`);
  swap('/etc/ssl/certs/netwatch.crt', join(dir, 'cert.pem'));
  swap('/etc/ssl/private/netwatch.key', join(dir, 'key.pem'));
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')}; worker_processes 1;`], {
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = once(child, 'exit');
      child.kill('SIGQUIT');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}: ${stderr}`);
        const s = net.connect(ports.https, '127.0.0.1');
        return once(s, 'connect').then(
          () => (s.destroy(), true),
          () => false,
        );
      },
      10_000,
      'nginx listening',
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { https: `https://127.0.0.1:${ports.https}`, http: `http://127.0.0.1:${ports.http}`, ca: readFileSync(join(dir, 'cert.pem'), 'utf8'), conf, stop };
}

/** One HTTPS request trusting only `ca`. */
export function httpsRequest(url: string, ca: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (d: string) => (body += d))
        .on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
