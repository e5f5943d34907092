/** What a lead sets for alerts; one schema for the form, the action and the tests. */
import { z } from "zod";

const optionalPositive = (what: string, max: number) =>
  z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : v))
    .pipe(
      z
        .string()
        .regex(/^\d+(\.\d+)?$/, `must be a number of ${what} above 0, or blank for off`)
        .transform(Number)
        .refine((n) => n > 0 && n <= max, `must be a number of ${what} from above 0 to ${max}, or blank for off`)
        .nullable(),
    );

export const alertsFormSchema = z.object({
  channelIds: z.array(z.coerce.number().int().positive()).max(20, "at most 20 channels"),
  /** Alert when the current quarter's run-rate forecast goes over its target. */
  forecastOverTarget: z.enum(["on", ""]).transform((v) => v === "on"),
  /** Alert when one counted incident adds more than this many hours to the current quarter. */
  incidentHours: optionalPositive("hours", 10_000),
  /** Alert when an incident stays untriaged longer than this many days. */
  untriagedDays: optionalPositive("days", 3650),
});
export type AlertsConfig = z.output<typeof alertsFormSchema>;
export const ALERTS_OFF: AlertsConfig = { channelIds: [], forecastOverTarget: false, incidentHours: null, untriagedDays: null };
