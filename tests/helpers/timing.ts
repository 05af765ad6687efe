/**
 * How late a timer may fire on the CI machine, ms: two cores shared by the test files that vitest
 * runs in parallel, a Chromium and a MariaDB. Tests that check a probe lands on its schedule
 * (phase + k·interval) allow this much lateness; a wrong phase or a skipped slot is still off by
 * far more. Speed goals live in `npm run bench`, never here.
 */
export const TIMER_SLACK_MS = 250;
