/**
 * What a target's host resolves to now, for the wire view: every address getaddrinfo(3) returns,
 * in the resolver's order (`verbatim`, as the prober dials them), or the literal itself.
 */
import { lookup } from 'node:dns/promises';
import { parseHost } from '../domain/host-rules.js';

/** Longest a wire-view lookup may take, ms. */
export const RESOLVE_TIMEOUT_MS = 3000;

/** Addresses (IP literals) and, when resolution failed, its error code (e.g. ENOTFOUND, EAI_TIMEOUT). */
export interface Resolved {
  addresses: string[];
  dnsError: string | null;
}

/**
 * Resolves `host` (as entered). Never throws.
 * @param timeoutMs lookup budget, ms (default {@link RESOLVE_TIMEOUT_MS})
 */
export async function resolveNow(host: string, timeoutMs = RESOLVE_TIMEOUT_MS): Promise<Resolved> {
  const parsed = parseHost(host);
  if ('error' in parsed) return { addresses: [], dnsError: 'EINVALIDHOST' };
  if (parsed.kind !== 'name') return { addresses: [parsed.value], dnsError: null };
  // RFC 6761 §6.4: names under .invalid never resolve (the prober answers them the same way).
  if (parsed.value === 'invalid' || parsed.value.endsWith('.invalid')) return { addresses: [], dnsError: 'ENOTFOUND' };
  let timer: NodeJS.Timeout | undefined;
  try {
    const answers = await Promise.race([
      lookup(parsed.value, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'EAI_TIMEOUT' })), timeoutMs);
      }),
    ]);
    return { addresses: [...new Set(answers.map((a) => a.address))], dnsError: null };
  } catch (err) {
    return { addresses: [], dnsError: (err as NodeJS.ErrnoException).code ?? 'EAI_FAIL' };
  } finally {
    clearTimeout(timer);
  }
}
