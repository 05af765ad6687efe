/**
 * The "Wire" panel of a target's history page (issue 8): when the next SYNs leave the hub (local
 * time and UTC, with the cadence, e.g. "every 1 s at .312"), what the host resolves to now, the
 * capture filters for each firewall family with copy buttons, and the probe log of the page's range
 * as CSV. Addresses are as the hub sends them, before any NAT.
 */
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { api, query } from '../api.ts';
import { BASE } from '../lib/base.ts';
import { loaded } from '../lib/resource.ts';
import { formatLocalMs, utcOffset } from '../lib/time.ts';
import { cadenceLabel, formatUtcMs } from '../lib/wireTimes.ts';
import type { WireFilters } from '../types.ts';

/** Props of {@link WirePanel}. */
export interface WirePanelProps {
  targetId: number;
  intervalSeconds: number;
  /** The page's range, UTC epoch ms, for the CSV download. */
  from: number;
  to: number;
}

const FILTERS: { key: keyof WireFilters; label: string; hint: string }[] = [
  { key: 'bpf', label: 'BPF', hint: 'pcap-filter(7) expression: a Wireshark capture filter, or tcpdump' },
  { key: 'tcpdump', label: 'tcpdump (Linux)', hint: 'run as root on the spoke host or a Linux firewall; -tt prints UTC epoch seconds' },
  { key: 'fortigate', label: 'FortiGate', hint: 'CLI; Ctrl-C stops it; times are UTC (a)' },
  { key: 'paloalto', label: 'Palo Alto (PAN-OS)', hint: 'CLI; view with "view-pcap filter-pcap netwatch-…-rx.pcap"; "debug dataplane packet-diag set capture off" stops it' },
  { key: 'ciscoAsa', label: 'Cisco ASA', hint: 'replace "inside" with the interface the SYN leaves towards the target on; "no capture NETWATCH…" removes it' },
];

/** Copies `text`; falls back to a hidden textarea where the Clipboard API is missing (plain-HTTP origins). */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

/** The wire panel. */
export function WirePanel(props: WirePanelProps) {
  const [wire, { refetch }] = createResource(
    () => props.targetId,
    (id) => api.wire(id),
  );
  const [now, setNow] = createSignal(Date.now());
  const [copied, setCopied] = createSignal<string | null>(null);
  const tick = setInterval(() => setNow(Date.now()), 1000);
  const resolveAgain = setInterval(() => void refetch(), 60_000);
  onCleanup(() => {
    clearInterval(tick);
    clearInterval(resolveAgain);
  });

  /** The next 10 slots after now: the server's list rolled forward by whole intervals (same rule). */
  const slots = () => {
    const first = loaded(wire)?.nextSlots[0];
    if (first === undefined) return [];
    const I = props.intervalSeconds * 1000;
    const start = first > now() ? first : first + Math.ceil((now() - first + 1) / I) * I;
    return Array.from({ length: 10 }, (_, k) => start + k * I);
  };
  const copy = async (key: string, text: string) => {
    try {
      await copyText(text);
      setCopied(key);
    } catch {
      setCopied(`${key}:failed`);
    }
    setTimeout(() => setCopied(null), 2000);
  };
  const csvHref = () => `${BASE}/api/targets/${props.targetId}/results.csv${query({ from: props.from, to: props.to })}`;

  return (
    <section class="wire" aria-labelledby="wire-title" data-testid="wire-panel">
      <div class="toolbar">
        <h2 id="wire-title">Wire</h2>
        <span class="spacer" />
        <a class="btn" href={csvHref()} download="" data-testid="csv-download">
          Download probe log (CSV) for this range
        </a>
      </div>
      <p class="note" data-testid="nat-note">
        Addresses and ports below are as the hub sends them, <strong>before any NAT</strong>: behind a NAT or a policy-based VPN the spoke may see a translated source or destination.
      </p>
      <Show when={wire.error}>
        <p class="error" role="alert">
          {(wire.error as Error).message}
        </p>
      </Show>
      <Show when={loaded(wire)}>
        {(w) => (
          <div class="wire-grid">
            <div>
              <h3>Next SYNs</h3>
              <Show when={slots().length > 0} fallback={<p data-testid="cadence-disabled">The target is disabled: NetWatch sends nothing until it is enabled.</p>}>
                <p data-testid="cadence">
                  <strong>{cadenceLabel(props.intervalSeconds, slots()[0]!)}</strong>
                </p>
                <table class="table slots" aria-label="Next send times">
                  <thead>
                    <tr>
                      <th scope="col">Local ({utcOffset(now())})</th>
                      <th scope="col">UTC</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={slots()}>
                      {(s) => (
                        <tr>
                          <td class="mono">{formatLocalMs(s)}</td>
                          <td class="mono">{formatUtcMs(s)}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
              <h3>Destination now</h3>
              <Show when={w().addresses.length > 0} fallback={<p class="error">The host does not resolve now ({w().dnsError}).</p>}>
                <p class="mono" data-testid="addresses">
                  {w().addresses.join(', ')}
                </p>
              </Show>
            </div>
            <div>
              <h3>Capture filters</h3>
              <For each={FILTERS}>
                {(f) => (
                  <div class="filter" data-filter={f.key}>
                    <div class="filter-head">
                      <strong>{f.label}</strong>
                      <span class="spacer" />
                      <button type="button" class="btn small" aria-label={`Copy the ${f.label} filter`} onClick={() => void copy(f.key, w().filters[f.key])}>
                        {copied() === f.key ? 'Copied' : copied() === `${f.key}:failed` ? 'Select and copy' : 'Copy'}
                      </button>
                    </div>
                    <pre class="mono">{w().filters[f.key]}</pre>
                    <p class="muted small">{f.hint}</p>
                  </div>
                )}
              </For>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
