/** Browser tests of the main flow against the real server on SQLite. */
import { defineMainFlow } from './flow.ts';

defineMainFlow({ label: 'sqlite', publishScreenshots: true });
