import "server-only";
import type { Db } from "@/db/client";
import { evaluateAlerts } from "./alerts";
import { collectEvents } from "./events";
import { runSchedulerTick } from "./scheduler";
import { runSenderPass } from "./sender";

const POLL_MS = 15_000;

const g = globalThis as unknown as { __deploySafetyDelivery?: { timer: NodeJS.Timeout; running: boolean; again: boolean; db: Db; eventsAt: number } };

async function cycle(db: Db): Promise<void> {
  const state = g.__deploySafetyDelivery;
  if (!state) return;
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = true;
  try {
    do {
      state.again = false;
      runSchedulerTick(db, Date.now());
      // Events and alerts may re-evaluate which incidents count: at most once a minute.
      if (Date.now() - state.eventsAt >= 60_000) {
        state.eventsAt = Date.now();
        collectEvents(db, state.eventsAt);
        evaluateAlerts(db, state.eventsAt);
      }
      await runSenderPass(db);
    } while (state.again);
  } catch (err) {
    console.error("delivery:", err instanceof Error ? err.message : "failed");
  } finally {
    state.running = false;
  }
}

/**
 * Starts the server's delivery loop once per process: every 15 s it queues what schedules
 * made due and sends what the outbox holds. It runs beside requests, never inside one; the
 * outbox's claims keep several processes from sending the same message.
 */
export function startDeliveryLoop(db: Db): void {
  if (g.__deploySafetyDelivery) return;
  const timer = setInterval(() => void cycle(db), POLL_MS);
  timer.unref();
  g.__deploySafetyDelivery = { timer, running: false, again: false, db, eventsAt: 0 };
  void cycle(db);
}

/** Runs a cycle now (after "send test", "send now", "retry"), without waiting for it. */
export function kickDelivery(): void {
  const state = g.__deploySafetyDelivery;
  if (state) void cycle(state.db);
}
