import { describe, expect, it } from 'vitest';
import { FAILURE_OUTCOMES } from '../types.ts';
import { rawReadout, rawSeries } from './rawSeries.ts';
import type { RawColumns } from '../../../src/domain/raw-columns.ts';

const cols: RawColumns = {
  t: [1000, 2500, 3000, 4000],
  outcome: ['success', 'refused', 'local_error', 'success'],
  connectMs: [1.25, null, null, 12.5],
  localPort: [50_001, 50_002, null, 50_004],
  localAddress: ['127.0.0.1', '::1', null, null],
  address: ['127.0.0.1', '::1', null, '127.0.0.1'],
  errorCode: [null, 'ECONNREFUSED', 'EMFILE', null],
  truncated: false,
};

describe('raw series', () => {
  it('puts connect times on points and each failure on its outcome lane', () => {
    const s = rawSeries(cols);
    expect(s.connect).toEqual([
      [1, 2.5, 3, 4],
      [1.25, null, null, 12.5],
    ]);
    expect(s.lane).toHaveLength(1 + FAILURE_OUTCOMES.length);
    expect(s.lane[1 + FAILURE_OUTCOMES.indexOf('refused')]).toEqual([null, 1, null, null]);
    expect(s.lane[1 + FAILURE_OUTCOMES.indexOf('local_error')]).toEqual([null, null, 1, null]);
    expect(s.lane[1 + FAILURE_OUTCOMES.indexOf('timeout')]).toEqual([null, null, null, null]);
    expect(s.failures).toMatchObject({ refused: 1, local_error: 1, timeout: 0 });
  });
  it('reads outcome, error code, local address and port, and the dialled address', () => {
    expect(rawReadout(cols, 0)).toBe('success in 1.25 ms · from 127.0.0.1:50001 to 127.0.0.1');
    expect(rawReadout(cols, 1)).toBe('refused (ECONNREFUSED) · from [::1]:50002 to ::1');
    expect(rawReadout(cols, 2)).toBe('local_error (EMFILE)');
    expect(rawReadout(cols, 3)).toBe('success in 12.5 ms · from *:50004 to 127.0.0.1');
  });
});
