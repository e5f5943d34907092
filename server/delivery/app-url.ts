import type { Db } from "@/db/client";
import { getDeliverySetting, setDeliverySetting } from "@/db/queries/delivery-settings";
import { ValidationError } from "@/lib/api/errors";
import type { AuditActor } from "@/lib/audit/actor";
import { appUrlProblem, normalizeAppUrl } from "@/lib/delivery/app-url";
import { env } from "@/lib/env";

export interface AppUrlState {
  /** The base links start with, or null when neither APP_URL nor the setting gives one. */
  url: string | null;
  source: "env" | "setting" | null;
  /** The admin's stored value (shown even when APP_URL overrides it). */
  setting: string | null;
}

/**
 * APP_URL when set, else what an admin saved under Settings → Delivery, else nothing. Never
 * the request's Host: a link in a mail or PDF must work for whoever opens it later, and a
 * Host header is whatever the client (or a proxy) sent.
 */
export function appUrlState(db: Db): AppUrlState {
  const stored = getDeliverySetting(db, "app_url");
  const setting = typeof stored === "string" && appUrlProblem(stored) === null ? normalizeAppUrl(stored) : null;
  const fromEnv = env("APP_URL");
  if (fromEnv) return { url: fromEnv, source: "env", setting };
  return { url: setting, source: setting ? "setting" : null, setting };
}

export function resolveAppUrl(db: Db): string | null {
  return appUrlState(db).url;
}

/** Saves (or, blank, clears) the admin's public URL; a bad value is a ValidationError naming the field. */
export function saveAppUrl(db: Db, raw: string, actor: AuditActor, now?: number): string | null {
  const value = raw.trim();
  if (value === "") {
    setDeliverySetting(db, "app_url", null, { actor, now });
    return null;
  }
  const problem = appUrlProblem(value);
  if (problem) throw new ValidationError("The public URL is invalid", [{ field: "appUrl", message: `"${value}" ${problem}` }]);
  const url = normalizeAppUrl(value);
  setDeliverySetting(db, "app_url", url, { actor, now });
  return url;
}

/** What `npm start` prints about the public URL: where links point, or that there are none and how to set it. */
export function appUrlStartLine(state: AppUrlState): string {
  if (state.url) return `Public URL (links in summaries, PDFs and messages): ${state.url}${state.source === "setting" ? " (Settings → Delivery)" : " (APP_URL)"}`;
  return "Public URL not set: summaries, PDFs and messages go out without links. Set APP_URL (e.g. APP_URL=https://deploy-safety.example.com) or Settings → Delivery.";
}
