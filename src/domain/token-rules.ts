/**
 * Validation rules for personal API tokens (issue 14 §1), shared by the API and the UI. Browser-safe.
 * Name: 1–100 characters, trimmed. Expiry: optional, UTC epoch ms in the future (null or absent: never).
 */
import { z } from 'zod';

/** Longest token name, characters. */
export const TOKEN_NAME_MAX = 100;

/** Body of POST /api/tokens. `now` (UTC epoch ms) judges "in the future". */
export const tokenCreate = (now: () => number) =>
  z
    .object({
      name: z
        .string({ error: 'Name is required.' })
        .trim()
        .min(1, { error: 'Name is required.' })
        .max(TOKEN_NAME_MAX, { error: `Name must be at most ${TOKEN_NAME_MAX} characters.` }),
      expiresAt: z
        .number({ error: 'Expiry must be a time (UTC epoch ms) or null for never.' })
        .int({ error: 'Expiry must be a whole number of ms.' })
        .refine((t) => t > now(), { error: 'Expiry must be in the future.' })
        .refine((t) => t <= 8.64e15, { error: 'Expiry is too far in the future.' })
        .nullable()
        .default(null),
    })
    .strict();
