/**
 * Turns off zod's JIT (it compiles object parsers with `new Function`) before any schema is built.
 * NetWatch's Content-Security-Policy has no 'unsafe-eval' (src/http/security.ts), so the JIT
 * could not run anyway, and zod's probe for it is reported as a CSP violation even though zod
 * catches the error. Imported first by main.tsx: ES modules evaluate in import order, and the
 * shared rules in src/domain build their schemas when loaded.
 */
import { z } from 'zod';

z.config({ jitless: true });
