import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliverySettings } from "@/db/schema";
import type { AuditActor } from "@/lib/audit/actor";
import { recordAudit, type DbOrTx } from "./audit";

export type DeliverySettingKey = "app_url" | "alerts";
/** Delivery's own bookkeeping (not audited): where event collection got to. */
export type DeliveryStateKey = "event_cursor";

/** The stored value of `key`, or undefined when nobody set it. */
export function getDeliverySetting(db: Db, key: DeliverySettingKey): unknown {
  return db.select({ value: deliverySettings.value }).from(deliverySettings).where(eq(deliverySettings.key, key)).get()?.value;
}

/** Stores `value` (null clears it) and audits `delivery.settings` with before and after. */
export function setDeliverySetting(db: Db, key: DeliverySettingKey, value: unknown, opts: { actor: AuditActor; now?: number }): void {
  const now = opts.now ?? Date.now();
  db.transaction((tx) => {
    const before = tx.select({ value: deliverySettings.value }).from(deliverySettings).where(eq(deliverySettings.key, key)).get()?.value ?? null;
    if (value === null) tx.delete(deliverySettings).where(eq(deliverySettings.key, key)).run();
    else
      tx.insert(deliverySettings)
        .values({ key, value, updatedAt: now, updatedBy: opts.actor.label })
        .onConflictDoUpdate({ target: deliverySettings.key, set: { value, updatedAt: now, updatedBy: opts.actor.label } })
        .run();
    recordAudit(tx, { actor: opts.actor, action: "delivery.settings", entityType: "delivery_settings", entityId: key, before, after: value, at: now });
  });
}

export function getDeliveryState(db: DbOrTx, key: DeliveryStateKey): unknown {
  return (db as Db).select({ value: deliverySettings.value }).from(deliverySettings).where(eq(deliverySettings.key, key)).get()?.value;
}

/** Bookkeeping written by the delivery loop itself: no audit row per tick. */
export function putDeliveryState(db: DbOrTx, key: DeliveryStateKey, value: unknown, now: number): void {
  (db as Db)
    .insert(deliverySettings)
    .values({ key, value, updatedAt: now, updatedBy: "delivery" })
    .onConflictDoUpdate({ target: deliverySettings.key, set: { value, updatedAt: now } })
    .run();
}
