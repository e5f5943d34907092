import "server-only";
import type { Db } from "@/db/client";
import { latestRun, listSources, listWebhookReceipts, viewOf, type SourceRunRow, type SourceView, type WebhookReceiptRow } from "@/db/queries/sources";
import { KIND_INFO } from "@/lib/sources/kinds";

/** One source as Settings → Sources and `cli sources status` show it: never its secrets. */
export interface SourceStatus {
  source: SourceView;
  kindLabel: string;
  polls: boolean;
  scopeText: string;
  lastRun: SourceRunRow | null;
  /** "3 new, 1 updated, 40 unchanged" / "nothing changed". */
  changed: string | null;
  /** The last failed run's reason, when the last run failed. */
  lastError: string | null;
  /** The latest webhook deliveries accepted or ignored (refused ones write nothing). */
  receipts: WebhookReceiptRow[];
}

export function describeChanges(run: Pick<SourceRunRow, "created" | "updated" | "unchanged" | "rejected">): string {
  const parts: string[] = [];
  if (run.created) parts.push(`${run.created} new`);
  if (run.updated) parts.push(`${run.updated} updated`);
  if (run.rejected) parts.push(`${run.rejected} rejected`);
  if (!parts.length) return run.unchanged ? `nothing changed (${run.unchanged} unchanged)` : "no incidents in the window";
  if (run.unchanged) parts.push(`${run.unchanged} unchanged`);
  return parts.join(", ");
}

export function listSourceStatuses(db: Db): SourceStatus[] {
  return listSources(db).map((row) => {
    const run = latestRun(db, row.id);
    const info = KIND_INFO[row.kind];
    return {
      source: viewOf(row),
      kindLabel: info.label,
      polls: info.polls,
      scopeText: typeof row.scope.text === "string" ? row.scope.text : "",
      lastRun: run,
      changed: run && run.status !== "running" ? describeChanges(run) : null,
      lastError: run?.status === "failed" ? run.error : null,
      receipts: listWebhookReceipts(db, row.id, 5),
    };
  });
}
