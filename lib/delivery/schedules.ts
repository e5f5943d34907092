/** What a lead enters for a schedule; one schema for the form, the action and the tests. */
import { z } from "zod";

const whole = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be ${what}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be ${what}`);

export const scheduleFormSchema = z.object({
  name: z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"),
  kind: z.enum(["digest", "report"], { error: "choose the weekly digest or the quarterly report" }),
  channelIds: z.array(z.coerce.number().int().positive()).min(1, "choose at least one channel").max(20, "at most 20 channels"),
  weekday: whole(1, 7, "a day from Monday to Sunday"),
  hour: whole(0, 23, "an hour from 0 to 23"),
  timezone: z
    .string()
    .trim()
    .min(1, "is required")
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "is not a time zone (an IANA name such as Europe/London or UTC)"),
});
export type ScheduleForm = z.input<typeof scheduleFormSchema>;
