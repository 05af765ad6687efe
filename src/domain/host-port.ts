/**
 * How a target's address is written for people: `host:port`, with an IPv6 literal in brackets
 * (`[::1]:443`), as in a URI's authority (RFC 3986 §3.2.2), so the port cannot be read as part of
 * the address. Browser-safe.
 */

/** `example.com:443`, `10.0.0.1:22`, `[2001:db8::1]:443` (a host already in brackets is kept). */
export function hostPort(host: string, port: number): string {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${bracketed}:${port}`;
}
