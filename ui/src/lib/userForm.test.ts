import { describe, expect, it } from 'vitest';
import { userFormErrors } from './userForm.ts';

describe('user form', () => {
  it('requires a username and an 8–256 character password', () => {
    expect(userFormErrors({ username: '', password: 'short' }, false)).toEqual({
      username: 'Username is required.', password: 'Password must be at least 8 characters.',
    });
    expect(userFormErrors({ username: 'a', password: 'x'.repeat(257) }, false).password).toMatch(/at most 256/);
    expect(userFormErrors({ username: 'a', password: 'x'.repeat(8) }, false)).toEqual({});
  });

  it('lets an edit keep the password when left blank', () => {
    expect(userFormErrors({ username: 'a', password: '' }, true)).toEqual({});
    expect(userFormErrors({ username: 'a', password: '' }, false).password).toBeDefined();
  });
});
