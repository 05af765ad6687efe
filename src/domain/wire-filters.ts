/**
 * Capture filters for a target's probes, as a spoke engineer pastes them into a firewall or a Linux
 * host (issue 8, "The wire view"). One pure function derives every vendor's filter from the same few
 * fields, so they always describe the same packets: the hub's SYNs (RFC 9293 §3.5) to the target's
 * address(es) and port, optionally from the configured source address and source port range.
 * Browser-safe: no Node.js imports.
 *
 * Vendor syntax sources:
 * - BPF / tcpdump: pcap-filter(7) (`tcp[tcpflags]`, `tcp-syn`, `portrange a-b`, `ip6[n]`). libpcap
 *   does not apply `tcp[…]` to IPv6 ("expression rejects all packets"), so IPv6 SYNs are matched
 *   on the fixed header: next header 6 (`ip6[6] == 6`) and the TCP flags byte at 40 + 13
 *   (`ip6[53] & 0x02`); a SYN with extension headers is not matched.
 * - FortiGate: FortiOS CLI reference, `diagnose sniffer packet <interface> '<filter>' <verbose>
 *   <count> <tsformat>`; verbose 4 prints headers with the interface name, count 0 runs until
 *   Ctrl-C, tsformat `a` prints absolute UTC time. The filter is the same pcap syntax, with the
 *   flags written numerically (`tcp[13] & 2 != 0`), which every FortiOS release accepts.
 * - Palo Alto: PAN-OS CLI `debug dataplane packet-diag set filter match source … destination …
 *   destination-port … protocol 6` (one filter per direction; a filter takes one source port, not a
 *   range), then `set filter on`, `set capture stage … file …`, `set capture on`.
 * - Cisco ASA: `capture <name> interface <ifname> match tcp {host <src> | any} [eq <port> |
 *   range <a> <b>] host <dst> eq <port>` (ASA command reference, `capture`); repeated `match` lines
 *   add to one capture.
 */

/** What the filters are built from. Addresses are as the hub sends them, before any NAT. */
export interface WireFilterInput {
  /** Target id: names the capture on devices that need a name (ASA, PAN-OS files). */
  targetId: number;
  /**
   * Destination addresses (IP literals) the hub dials; when empty (the name did not resolve) the
   * host name itself is used and the capture device resolves it.
   */
  addresses: readonly string[];
  /** Host as entered (used when `addresses` is empty). */
  host: string;
  /** Destination TCP port, 1–65535. */
  port: number;
  /** Source address the probe binds to; null/undefined = the kernel chooses (filters leave it out). */
  sourceAddress?: string | null | undefined;
  /** Source port range, inclusive (equal = one fixed port); null/undefined = ephemeral (left out). */
  sourcePortMin?: number | null | undefined;
  sourcePortMax?: number | null | undefined;
}

/** Copy-ready filter strings (multi-line ones separated by "\n"). */
export interface WireFilters {
  /** pcap-filter(7) expression matching the hub's SYNs. */
  bpf: string;
  /** A tcpdump(8) command running {@link WireFilters.bpf}, timestamps as UTC epoch seconds (-tt). */
  tcpdump: string;
  /** FortiGate `diagnose sniffer packet any '…' 4 0 a`. */
  fortigate: string;
  /** PAN-OS `debug dataplane packet-diag` lines (both directions, then capture on). */
  paloalto: string;
  /** Cisco ASA `capture … match tcp …` lines and the `show capture` line. */
  ciscoAsa: string;
}

const isV6 = (a: string) => a.includes(':');

/** The destinations to match: of the source address's family when one is set, else all; the host when none. */
function destinations(input: WireFilterInput): string[] {
  const all = [...new Set(input.addresses)];
  if (all.length === 0) return [input.host.replace(/^\[(.*)\]$/, '$1')];
  const src = input.sourceAddress;
  if (!src) return all;
  const same = all.filter((a) => isV6(a) === isV6(src));
  return same.length > 0 ? same : all;
}

/** The source port range, or null when ephemeral. */
function sourcePorts(input: WireFilterInput): { min: number; max: number } | null {
  const { sourcePortMin: min, sourcePortMax: max } = input;
  if (min == null && max == null) return null;
  const lo = min ?? max!;
  const hi = max ?? min!;
  return { min: Math.min(lo, hi), max: Math.max(lo, hi) };
}

const anyOf = (terms: string[]) => (terms.length === 1 ? terms[0]! : `(${terms.join(' or ')})`);

/** The pcap expression; `numericFlags` writes `tcp[13] & 2` instead of `tcp[tcpflags] & tcp-syn`. */
function pcapExpression(input: WireFilterInput, numericFlags: boolean): string {
  const dst = destinations(input);
  const v4 = dst.filter((a) => !isV6(a));
  const v6 = dst.filter(isV6);
  const syn4 = numericFlags ? 'tcp[13] & 2 != 0' : 'tcp[tcpflags] & tcp-syn != 0';
  const syn6 = 'ip6[6] == 6 and ip6[53] & 0x02 != 0';
  const hosts = (list: string[]) => anyOf(list.map((a) => `dst host ${a}`));
  const parts: string[] = [];
  if (v4.length > 0) parts.push(`${syn4} and ${hosts(v4)}`);
  if (v6.length > 0) parts.push(`${syn6} and ${hosts(v6)}`);
  let expr = parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' or ');
  if (parts.length > 1) expr = `(${expr})`;
  expr += ` and dst port ${input.port}`;
  if (input.sourceAddress) expr += ` and src host ${input.sourceAddress}`;
  const sp = sourcePorts(input);
  if (sp) expr += sp.min === sp.max ? ` and src port ${sp.min}` : ` and src portrange ${sp.min}-${sp.max}`;
  return expr;
}

/** PAN-OS packet-diag lines: for each destination, one filter each way (PAN-OS allows 4 filters: at most 2 destinations). */
function paloAlto(input: WireFilterInput): string {
  const pre = 'debug dataplane packet-diag';
  const sp = sourcePorts(input);
  const fixedPort = sp && sp.min === sp.max ? sp.min : null;
  const src = input.sourceAddress;
  const lines = [`${pre} clear all`];
  for (const d of destinations(input).slice(0, 2)) {
    const out = [`${pre} set filter match`, src ? `source ${src}` : '', `destination ${d}`, fixedPort ? `source-port ${fixedPort}` : '', `destination-port ${input.port}`, 'protocol 6'];
    const back = [`${pre} set filter match`, `source ${d}`, src ? `destination ${src}` : '', `source-port ${input.port}`, fixedPort ? `destination-port ${fixedPort}` : '', 'protocol 6'];
    lines.push(out.filter(Boolean).join(' '), back.filter(Boolean).join(' '));
  }
  const file = `netwatch-${input.targetId}`;
  lines.push(
    `${pre} set filter on`,
    `${pre} set capture stage receive file ${file}-rx.pcap`,
    `${pre} set capture stage transmit file ${file}-tx.pcap`,
    `${pre} set capture stage drop file ${file}-drop.pcap`,
    `${pre} set capture on`,
  );
  return lines.join('\n');
}

/** Cisco ASA capture lines (interface `inside`: the one the SYN leaves towards the target on). */
function ciscoAsa(input: WireFilterInput): string {
  const name = `NETWATCH${input.targetId}`;
  const sp = sourcePorts(input);
  const srcPort = sp ? (sp.min === sp.max ? ` eq ${sp.min}` : ` range ${sp.min} ${sp.max}`) : '';
  const src = input.sourceAddress ? `host ${input.sourceAddress}` : 'any';
  const lines = destinations(input).map((d) => `capture ${name} interface inside match tcp ${src}${srcPort} host ${d} eq ${input.port}`);
  lines.push(`show capture ${name}`);
  return lines.join('\n');
}

/**
 * Builds every vendor's filter for one target.
 * @returns strings ready to paste; never throws (inputs are already-validated target fields)
 */
export function wireFilters(input: WireFilterInput): WireFilters {
  const bpf = pcapExpression(input, false);
  return {
    bpf,
    tcpdump: `tcpdump -n -i any -tt '${bpf}'`,
    fortigate: `diagnose sniffer packet any '${pcapExpression(input, true)}' 4 0 a`,
    paloalto: paloAlto(input),
    ciscoAsa: ciscoAsa(input),
  };
}
