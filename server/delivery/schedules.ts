import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { attemptsFor, getChannel, getSchedule, listOutbox, listSchedules } from "@/db/queries/delivery";
import { deliverySchedules, type DeliveryAttemptRow, type DeliveryOutboxRow, type DeliveryScheduleRow } from "@/db/schema";
import { issuesFromZod, NotFoundError, ValidationError } from "@/lib/api/errors";
import type { AuditActor } from "@/lib/audit/actor";
import { nextWeeklyOccurrence } from "@/lib/delivery/schedule";
import { scheduleFormSchema } from "@/lib/delivery/schedules";

/**
 * Creates (no `id`) or updates a schedule. The next digest is computed from `now`; a report
 * schedule sends reports published after it was saved. Every field's problem at once.
 */
export function saveSchedule(db: Db, input: unknown, actor: AuditActor, opts: { id?: number; now?: number } = {}): DeliveryScheduleRow {
  const now = opts.now ?? Date.now();
  const r = scheduleFormSchema.safeParse(input);
  if (!r.success) throw new ValidationError("The schedule was not saved: fix the fields marked below.", issuesFromZod(r.error).map((i) => ({ ...i, field: i.field.startsWith("channelIds") ? "channelIds" : i.field })));
  const f = r.data;
  const missing = f.channelIds.filter((id) => !getChannel(db, id));
  if (missing.length) throw new ValidationError("The schedule was not saved: fix the fields marked below.", [{ field: "channelIds", message: `no channel ${missing.join(", ")}` }]);
  const hooks = f.channelIds.filter((id) => getChannel(db, id)?.kind === "webhook");
  if (hooks.length) throw new ValidationError("The schedule was not saved: fix the fields marked below.", [{ field: "channelIds", message: "an outgoing webhook receives events, not digests or reports" }]);
  const existing = opts.id !== undefined ? getSchedule(db, opts.id) : null;
  if (opts.id !== undefined && !existing) throw new NotFoundError(`No schedule ${opts.id}`);
  const values = {
    name: f.name,
    kind: f.kind,
    channelIds: [...new Set(f.channelIds)],
    weekday: f.weekday,
    hour: f.hour,
    timezone: f.timezone,
    nextRunAt: f.kind === "digest" ? nextWeeklyOccurrence(now, f.weekday, f.hour, f.timezone) : null,
    updatedAt: now,
  };
  return db.transaction((tx) => {
    const row = existing
      ? tx.update(deliverySchedules).set(values).where(eq(deliverySchedules.id, existing.id)).returning().get()
      : tx.insert(deliverySchedules).values({ ...values, createdAt: now, createdBy: actor.label }).returning().get();
    recordAudit(tx, { actor, action: existing ? "delivery.schedule.update" : "delivery.schedule.create", entityType: "delivery_schedule", entityId: row.id, before: existing ?? undefined, after: row, at: now });
    return row;
  });
}

export function deleteSchedule(db: Db, id: number, actor: AuditActor, now = Date.now()): boolean {
  return db.transaction((tx) => {
    const before = getSchedule(tx, id);
    if (!before) return false;
    tx.delete(deliverySchedules).where(eq(deliverySchedules.id, id)).run();
    recordAudit(tx, { actor, action: "delivery.schedule.delete", entityType: "delivery_schedule", entityId: id, before, at: now });
    return true;
  });
}

export interface ScheduleHistoryEntry extends DeliveryOutboxRow {
  channelName: string;
  attemptLog: DeliveryAttemptRow[];
}

/** Each schedule with what it sent, newest first, and every channel's answers. */
export function schedulesWithHistory(db: Db, limit = 20): { schedule: DeliveryScheduleRow; history: ScheduleHistoryEntry[] }[] {
  return listSchedules(db).map((schedule) => {
    const rows = listOutbox(db, { scheduleId: schedule.id, limit });
    const log = attemptsFor(db, rows.map((r) => r.id));
    return { schedule, history: rows.map((r) => ({ ...r, channelName: getChannel(db, r.channelId)?.name ?? `channel ${r.channelId}`, attemptLog: log.get(r.id) ?? [] })) };
  });
}
