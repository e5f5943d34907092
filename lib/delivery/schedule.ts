/**
 * When a weekly schedule next fires. Pure; time zones through @date-fns/tz.
 */
import { TZDate } from "@date-fns/tz";

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/**
 * The first instant strictly after `after` (epoch ms) that is `hour`:00 local time on ISO
 * `weekday` (1 = Monday … 7 = Sunday) in `timezone`. An hour that a daylight-saving change
 * skips that day fires at the first instant after the gap (02:00 → 03:00 local).
 */
export function nextWeeklyOccurrence(after: number, weekday: number, hour: number, timezone: string): number {
  const local = new TZDate(after, timezone);
  for (let day = 0; day <= 8; day++) {
    const candidate = new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + day, hour, 0, 0, timezone);
    const isoDay = candidate.getDay() === 0 ? 7 : candidate.getDay();
    if (isoDay === weekday && candidate.getTime() > after) return candidate.getTime();
  }
  throw new Error(`no occurrence of weekday ${weekday} ${hour}:00 in ${timezone} after ${new Date(after).toISOString()}`);
}
