import { describe, expect, it } from 'vitest';
import { userFormErrors } from './userForm.ts';

describe('user form', () => {
  it('requires a username and an 8–256 character password', () => {
    expect(userFormErrors({ username: '', password: 'short', confirm: 'short' }, false)).toEqual({
      username: 'Username is required.',
      password: 'Password must be at least 8 characters.',
    });
    const long = 'x'.repeat(257);
    expect(userFormErrors({ username: 'a', password: long, confirm: long }, false).password).toMatch(/at most 256/);
    expect(userFormErrors({ username: 'a', password: 'x'.repeat(8), confirm: 'x'.repeat(8) }, false)).toEqual({});
  });

  it('asks for the password twice, like setup', () => {
    expect(userFormErrors({ username: 'a', password: 'x'.repeat(8), confirm: '' }, false)).toEqual({ confirm: 'Passwords do not match.' });
    expect(userFormErrors({ username: 'a', password: 'x'.repeat(8), confirm: 'y'.repeat(8) }, true)).toEqual({ confirm: 'Passwords do not match.' });
  });

  it('lets an edit keep the password when both are left blank', () => {
    expect(userFormErrors({ username: 'a', password: '', confirm: '' }, true)).toEqual({});
    expect(userFormErrors({ username: 'a', password: '', confirm: '' }, false).password).toBeDefined();
    expect(userFormErrors({ username: 'a', password: '', confirm: 'x'.repeat(8) }, true).confirm).toBe('Passwords do not match.');
  });
});
