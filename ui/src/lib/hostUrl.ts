/**
 * Recognises a URL or `host:port` pasted into the target editor's Host field (issue 16 §5), so the
 * editor can explain that Host takes the host alone and offer to split it: `http://example.com:80/x`
 * → host `example.com`, port 80. Ports left out of a URL are the scheme's well-known port
 * (IANA service names: http 80, https 443, …); unknown schemes give no port.
 */

/** Well-known ports of common URL schemes (IANA "Service Name and Transport Protocol Port Number Registry"). */
const SCHEME_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  ftp: 21,
  ssh: 22,
  sftp: 22,
  telnet: 23,
  smtp: 25,
  imap: 143,
  imaps: 993,
  pop3: 110,
  ldap: 389,
  ldaps: 636,
  mysql: 3306,
  postgres: 5432,
  postgresql: 5432,
  redis: 6379,
  mongodb: 27017,
  amqp: 5672,
  mqtt: 1883,
};

/** What a pasted value splits into; port null when neither given nor known for the scheme. */
export interface SplitHost {
  host: string;
  port: number | null;
  /** The scheme found (without `:`), null for `host:port`. */
  scheme: string | null;
}

/**
 * Splits `value` when it is a URL (`scheme://host[:port][/path]`) or `name:port`; null when it is
 * not (a plain host name, an IPv4 or bracketed IPv6 address).
 */
export function splitHostUrl(value: string): SplitHost | null {
  const v = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(v);
  if (scheme) {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      return null;
    }
    if (!url.hostname) return null;
    const name = scheme[1]!.toLowerCase();
    const port = url.port ? Number(url.port) : (SCHEME_PORTS[name] ?? null);
    return { host: url.hostname, port, scheme: name };
  }
  const hostPort = /^([a-z0-9.-]+|\[[0-9a-f:.]+\]):(\d{1,5})$/i.exec(v);
  if (hostPort && Number(hostPort[2]) <= 65_535) return { host: hostPort[1]!, port: Number(hostPort[2]), scheme: null };
  return null;
}
