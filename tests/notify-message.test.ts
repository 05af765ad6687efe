/** Notification content (issue 11 "Message content"): what each state change says, with and without NETWATCH_PUBLIC_URL. */
import { describe, expect, it } from 'vitest';
import { flapNotice, stateNotice } from '../src/notify/message.js';
import type { StateEvent } from '../src/domain/target-state.js';

const target = { id: 7, name: 'Spoke DB', host: '2001:db8::5', port: 5432 };
const T = Date.UTC(2030, 0, 2, 3, 4, 5);
const down: StateEvent = {
  id: 1,
  targetId: 7,
  location: 'default',
  from: 'up',
  to: 'down',
  at: T,
  outcome: 'refused',
  errorCode: 'ECONNREFUSED',
  firstFailedAt: T - 2000,
  streakStartedAt: T - 2000,
  inMaintenance: false,
};

describe('notification content', () => {
  it('a down notice names the target, address, location, state, cause, start and the history link', () => {
    const n = stateNotice(down, target, 'https://nw.example.test');
    expect(n.title).toBe('DOWN: Spoke DB ([2001:db8::5]:5432)');
    expect(n.text.split('\n')).toEqual([
      'Target: Spoke DB ([2001:db8::5]:5432)',
      'Location: default',
      'State: down',
      'Cause: refused (ECONNREFUSED)',
      'Down since: 2030-01-02T03:04:03Z (first failed probe)',
      'At: 2030-01-02T03:04:05Z',
      'History: https://nw.example.test/targets/7/history',
    ]);
  });
  it('leaves the link out without a public URL; an up notice has no cause', () => {
    const up = stateNotice({ ...down, from: 'down', to: 'up', outcome: 'success', errorCode: null, streakStartedAt: T }, target, null);
    expect(up.title).toBe('UP: Spoke DB ([2001:db8::5]:5432)');
    expect(up.link).toBeNull();
    expect(up.text).not.toMatch(/History|Cause/);
    expect(up.text).toContain('Since: 2030-01-02T03:04:05Z (first success)');
  });
  it('the flapping and stable summaries say what happens next', () => {
    expect(flapNotice('flapping', down, target, null, { changes: 5, windowMs: 600_000 }).text).toMatch(
      /^The target changed state more than 5 times in 10 min\. Further changes are not notified until it is stable for 10 min\./,
    );
    expect(flapNotice('stable', down, target, null, { changes: 5, windowMs: 600_000 }).title).toBe('STABLE: Spoke DB ([2001:db8::5]:5432) is down');
  });
});
