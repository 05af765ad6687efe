import { describe, expect, it } from 'vitest';
import { emptyForm, formErrors, formFromTarget, formToBody, secondsToMs, timeoutPlaceholder, type TargetForm } from './targetForm.ts';

const valid: TargetForm = { ...emptyForm(), name: 'db', host: 'db.example.com', port: '5432', intervalSeconds: '10' };

describe('target form validation (API rules)', () => {
  it('accepts a valid form', () => {
    expect(formErrors(valid)).toEqual({});
    expect(formToBody(valid)).toMatchObject({ port: 5432, intervalSeconds: 10, timeoutMs: null, retentionUnit: 'day', enabled: true });
  });

  it('reports each bad field with the API message', () => {
    const e = formErrors({ ...valid, name: '  ', host: 'a b', port: '70000', intervalSeconds: '0', retentionValue: '1.5' });
    expect(e.name).toBe('Name is required.');
    expect(e.host).toBe('Host must not contain spaces.');
    expect(e.port).toBe('Port must be at most 65,535.');
    expect(e.intervalSeconds).toBe('Interval must be at least 1.');
    expect(e.retentionValue).toBe('Retention must be a whole number.');
  });

  it('a URL typed as the host: the editor says which host to type (the shared rule, src/domain/host-rules.ts)', () => {
    expect(formErrors({ ...valid, host: 'http://example.com' }).host).toBe('Type the host name or address without "http://" or a path: example.com (http usually means port 80).');
  });

  it('says "required" for blank numbers and "must be a number" for non-numeric ones', () => {
    expect(formErrors({ ...valid, port: '' }).port).toBe('Port is required.');
    expect(formErrors({ ...valid, port: '  ' }).port).toBe('Port is required.');
    expect(formErrors({ ...valid, intervalSeconds: '' }).intervalSeconds).toBe('Interval is required.');
    expect(formErrors({ ...valid, retentionValue: '' }).retentionValue).toBe('Retention is required.');
    expect(formErrors({ ...valid, port: 'abc' }).port).toMatch(/Port must be a number/);
  });

  it('converts the timeout from seconds with decimals and validates it in seconds', () => {
    expect(secondsToMs('0.5')).toBe(500);
    expect(secondsToMs('')).toBeNull();
    expect(formToBody({ ...valid, timeoutSeconds: '2.25' }).timeoutMs).toBe(2250);
    expect(formErrors({ ...valid, timeoutSeconds: '0.5' })).toEqual({});
    expect(formErrors({ ...valid, timeoutSeconds: '0.05' }).timeoutSeconds).toBe('Timeout must be at least 0.1 s.');
    expect(formErrors({ ...valid, timeoutSeconds: '11' }).timeoutSeconds).toBe('Timeout must not exceed the interval.');
    expect(formErrors({ ...valid, intervalSeconds: '120', timeoutSeconds: '61' }).timeoutSeconds).toBe('Timeout must be at most 60 s.');
    expect(formErrors({ ...valid, timeoutSeconds: '0.1234' }).timeoutSeconds).toMatch(/whole number of milliseconds/);
  });

  it('shows the default timeout as placeholder', () => {
    expect(timeoutPlaceholder('10')).toBe('default: 10');
    expect(timeoutPlaceholder('300')).toBe('default: 60');
    expect(timeoutPlaceholder('')).toMatch(/min\(interval, 60\)/);
  });

  it('round-trips a stored target', () => {
    const f = formFromTarget({
      id: 1,
      name: 'x',
      host: '10.0.0.1',
      port: 22,
      intervalSeconds: 5,
      timeoutMs: 1500,
      effectiveTimeoutMs: 1500,
      retentionValue: 2,
      retentionUnit: 'week',
      enabled: false,
      failureThreshold: 5,
      recoveryThreshold: 2,
      createdAt: 0,
      updatedAt: 0,
      sourceAddress: '10.0.0.9',
      sourcePortMin: 40000,
      sourcePortMax: 40000,
      closeMode: 'rst',
      addressFamily: 'ipv4',
      addressPolicy: 'first',
      locations: ['a', 'b'],
    });
    expect(f).toMatchObject({ port: '22', timeoutSeconds: '1.5', retentionUnit: 'week', enabled: false, sourceAddress: '10.0.0.9', sourcePortMin: '40000', sourcePortMax: '40000', closeMode: 'rst' });
    expect(formToBody(f)).toMatchObject({
      timeoutMs: 1500,
      port: 22,
      sourceAddress: '10.0.0.9',
      sourcePortMin: 40000,
      sourcePortMax: 40000,
      closeMode: 'rst',
      addressFamily: 'ipv4',
      addressPolicy: 'first',
      failureThreshold: 5,
      recoveryThreshold: 2,
      locations: ['a', 'b'],
    });
    expect(formErrors(f)).toEqual({});
    expect(formToBody({ ...f, locations: ' fra-1,, ams-2  ' }).locations).toEqual(['fra-1', 'ams-2']);
    expect(formErrors({ ...f, locations: 'a a' }).locations).toMatch(/must not repeat/);
    expect(formErrors({ ...f, locations: 'a/b' }).locations).toMatch(/^Location "a\/b" must be 1–32/);
  });

  it('thresholds: defaults 3 and 1, the API rules 1–100, a blank one is required', () => {
    expect(formToBody(emptyForm())).toMatchObject({ failureThreshold: 3, recoveryThreshold: 1 });
    const ok = { ...emptyForm(), name: 'a', host: 'h', port: '1' };
    expect(formErrors(ok)).toEqual({});
    expect(formErrors({ ...ok, failureThreshold: '0' }).failureThreshold).toBe('Failure threshold must be at least 1.');
    expect(formErrors({ ...ok, recoveryThreshold: '101' }).recoveryThreshold).toBe('Recovery threshold must be at most 100.');
    expect(formErrors({ ...ok, recoveryThreshold: ' ' }).recoveryThreshold).toBe('Recovery threshold is required.');
  });

  it('wire settings: blank source fields mean "kernel chooses"; the API rules give per-field messages', () => {
    const f = { ...emptyForm(), name: 'n', host: '10.0.0.1', port: '22', intervalSeconds: '1' };
    expect(formToBody(f)).toMatchObject({ sourceAddress: null, sourcePortMin: null, sourcePortMax: null, closeMode: 'fin', addressFamily: 'any', addressPolicy: 'fallback' });
    expect(formErrors(f)).toEqual({});
    expect(formErrors({ ...f, sourceAddress: 'gw.example' }).sourceAddress).toMatch(/IPv4 or IPv6 address/);
    expect(formErrors({ ...f, sourceAddress: '2001:db8::5' }).sourceAddress).toMatch(/IPv6 but the host is an IPv4/);
    expect(formErrors({ ...f, sourcePortMin: '40000' }).sourcePortMax).toMatch(/both ends/);
    expect(formErrors({ ...f, sourcePortMin: '40000', sourcePortMax: '40009' }).sourcePortMax).toMatch(/at least 64 ports \(it has 10\)/);
    expect(formErrors({ ...f, sourcePortMin: '40000', sourcePortMax: '40009', closeMode: 'rst' })).toEqual({});
    expect(formErrors({ ...f, sourcePortMin: '80', sourcePortMax: '90', closeMode: 'rst' }).sourcePortMin).toMatch(/at least 1,024/);
  });
});
