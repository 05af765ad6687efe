/**
 * What a notification says (issue 11, "Message content"): target name, host:port, location, new
 * state, cause (outcome and errno), when it began, and a link to the target's history page when
 * `NETWATCH_PUBLIC_URL` is set (left out otherwise). Times in the text are UTC (ISO 8601).
 */
import type { Notice } from '../domain/channel-rules.js';
import { hostPort } from '../domain/host-port.js';
import type { StateEvent } from '../domain/target-state.js';
import type { Target } from '../domain/types.js';

export type { Notice };

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function body(n: Omit<Notice, 'text'>): string {
  const lines = [`Target: ${n.targetName} (${n.address})`, `Location: ${n.location}`];
  if (n.state) lines.push(`State: ${n.state}`);
  if (n.cause) lines.push(`Cause: ${n.cause.outcome}${n.cause.errorCode ? ` (${n.cause.errorCode})` : ''}`);
  if (n.since !== null) lines.push(`${n.kind === 'down' ? 'Down since' : 'Since'}: ${iso(n.since)} (first ${n.kind === 'down' ? 'failed probe' : 'success'})`);
  lines.push(`At: ${iso(n.at)}`);
  if (n.link) lines.push(`History: ${n.link}`);
  return lines.join('\n');
}

/**
 * The notice for a state change of `target`.
 * @param publicUrl `NETWATCH_PUBLIC_URL` without trailing slash, or null
 */
export function stateNotice(e: StateEvent, target: Pick<Target, 'id' | 'name' | 'host' | 'port'>, publicUrl: string | null): Notice {
  const kind = e.to === 'down' ? 'down' : 'up';
  const address = hostPort(target.host, target.port);
  const n = {
    kind,
    targetId: target.id,
    targetName: target.name,
    address,
    location: e.location,
    state: e.to,
    cause: kind === 'down' ? { outcome: e.outcome, errorCode: e.errorCode } : null,
    since: e.streakStartedAt,
    at: e.at,
    link: publicUrl ? `${publicUrl}/targets/${target.id}/history` : null,
    title: `${kind.toUpperCase()}: ${target.name} (${address})`,
  } satisfies Omit<Notice, 'text'>;
  return { ...n, text: body(n) };
}

/** The message of a channel's "Send test". */
export function testNotice(channelName: string, now: number, publicUrl: string | null): Notice {
  const n = {
    kind: 'test' as const,
    targetId: null,
    targetName: '(test)',
    address: '-',
    location: 'default',
    state: null,
    cause: null,
    since: null,
    at: now,
    link: publicUrl ? `${publicUrl}/` : null,
    title: `TEST: NetWatch channel "${channelName}"`,
  };
  return { ...n, text: `This is a test notification from NetWatch to the channel "${channelName}".\n${body(n)}` };
}

/**
 * The one summary sent when a target starts flapping (more than `changes` state changes within
 * `windowMs`), and the one sent when it has been stable for `windowMs` again.
 */
export function flapNotice(
  kind: 'flapping' | 'stable',
  e: StateEvent,
  target: Pick<Target, 'id' | 'name' | 'host' | 'port'>,
  publicUrl: string | null,
  flap: { changes: number; windowMs: number },
): Notice {
  const address = hostPort(target.host, target.port);
  const minutes = Math.round(flap.windowMs / 60_000);
  const n = {
    kind,
    targetId: target.id,
    targetName: target.name,
    address,
    location: e.location,
    state: e.to,
    cause: null,
    since: null,
    at: e.at,
    link: publicUrl ? `${publicUrl}/targets/${target.id}/history` : null,
    title: kind === 'flapping' ? `FLAPPING: ${target.name} (${address})` : `STABLE: ${target.name} (${address}) is ${e.to}`,
  } satisfies Omit<Notice, 'text'>;
  const what =
    kind === 'flapping'
      ? `The target changed state more than ${flap.changes} times in ${minutes} min. Further changes are not notified until it is stable for ${minutes} min.`
      : `The target has not changed state for ${minutes} min; it is ${e.to}.`;
  return { ...n, text: `${what}\n${body(n)}` };
}
