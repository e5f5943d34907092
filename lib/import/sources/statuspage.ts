import type { SourceMapping, SourceRecord } from "./mapping";
import { hasAll } from "./mapping";

/** Statuspage v2 `incident` objects (`/api/v2/incidents.json`, or archives of them). */

type Update = { body?: string; created_at?: string; display_at?: string };

function updatesOldestFirst(r: SourceRecord): Update[] {
  const list = Array.isArray(r.incident_updates) ? (r.incident_updates as Update[]) : [];
  // The API lists newest first; sort rather than trust the order of an archive.
  return [...list].sort((a, b) => String(a.created_at ?? "").localeCompare(String(b.created_at ?? "")));
}

/** The first update (what was declared) and, if different, the last (how it ended). */
function description(r: SourceRecord): string | undefined {
  const ups = updatesOldestFirst(r).filter((u) => u.body?.trim());
  if (!ups.length) return undefined;
  const first = ups[0].body!.trim();
  const last = ups[ups.length - 1].body!.trim();
  return ups.length > 1 && last !== first ? `${first}\n\n${last}` : first;
}

function text(v: unknown): string | undefined {
  return v == null || v === "" ? undefined : String(v);
}

export const statuspageMapping: SourceMapping = {
  format: "statuspage",
  label: "Atlassian Statuspage incidents JSON",
  defaultSource: "statuspage",
  container: "json",
  fields: {
    id: "id",
    title: "name",
    // Kept raw (none/minor/major/critical); the default policy maps them to classes.
    severity: "impact",
    status: "status",
    started_at: (r) => text(r.started_at) ?? text(r.created_at),
    resolved_at: (r) => text(r.resolved_at) ?? "",
    url: "shortlink",
    services: (r) => (Array.isArray(r.components) ? (r.components as { name?: string }[]).map((c) => String(c?.name ?? "")).filter(Boolean) : []),
    description,
  },
  // Bulky or derived: the updates become the description, components the services.
  ignore: ["incident_updates", "components", "created_at", "updated_at", "monitoring_at", "started_at", "resolved_at", "page_id", "postmortem_body", "postmortem_body_last_updated_at"],
  detect: (keys) => hasAll(keys, ["id", "name", "impact"]) && (keys.includes("incident_updates") || keys.includes("shortlink")),
};
