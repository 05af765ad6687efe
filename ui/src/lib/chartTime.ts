/**
 * Time-axis labels of the history charts, in the same 24-hour local format family as the rest
 * of the UI (`17:05`, `17:05:30`, `2026-11-29`), with the date added where the range spans days.
 * Inputs are in seconds, as uPlot's time scale uses them.
 */
import { formatLocal } from './time.ts';

/** Local date of epoch seconds: `2026-11-29`. */
export function localDate(sec: number): string {
  return formatLocal(sec * 1000).slice(0, 10);
}

/** Local time of epoch seconds to the tick size: `17:05`, `17:05:30` or `17:05:30.250`. */
export function localTime(sec: number, incrSec: number): string {
  const ms = Math.round(sec * 1000);
  const hms = formatLocal(ms).slice(11);
  if (incrSec >= 60) return hms.slice(0, 5);
  if (incrSec >= 1) return hms;
  return `${hms}.${String(new Date(ms).getMilliseconds()).padStart(3, '0')}`;
}

/** True when [fromSec, toSec] covers more than one local calendar day. */
export function spansDays(fromSec: number, toSec: number): boolean {
  return localDate(fromSec) !== localDate(toSec);
}

/**
 * Labels for uPlot's x-axis ticks. Ticks a day or more apart show the date; finer ticks show
 * the time, and when the range spans days the first tick and each tick on a new day get the
 * date on a second line.
 * @param splits tick positions, epoch s; @param incrSec tick spacing, s
 */
export function timeAxisLabels(splits: readonly number[], incrSec: number, withDates: boolean): string[] {
  return splits.map((s, i) => {
    if (incrSec >= 86_400) return localDate(s);
    const time = localTime(s, incrSec);
    const newDay = i === 0 || localDate(splits[i - 1]!) !== localDate(s);
    return withDates && newDay ? `${time}\n${localDate(s)}` : time;
  });
}
