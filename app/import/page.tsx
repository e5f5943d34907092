import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { blockedBatchIds, getMaxImportBytes, listImportBatches, listImportPresets } from "@/db/queries/imports";
import { requirePageRole } from "@/server/auth/guards";
import { formatBytes } from "@/lib/import/input";
import { hasRole } from "@/lib/auth/roles";
import { BatchHistory, type BatchView } from "./_components/batch-history";
import { ImportWizard } from "./_components/import-wizard";

export const metadata: Metadata = { title: "Import" };
export const dynamic = "force-dynamic";

export default async function ImportPage() {
  const actor = await requirePageRole("editor");
  const db = getDb();
  const batches = listImportBatches(db, { limit: 50 });
  const blocked = blockedBatchIds(
    db,
    batches.filter((b) => b.status === "applied").map((b) => b.id),
  );
  const presets = listImportPresets(db).map((p) => ({ name: p.name, mapping: p.mapping }));
  const views: BatchView[] = batches.map((b) => ({
    id: b.id,
    source: b.source,
    format: b.format,
    fileName: b.fileName,
    created: b.createdCount,
    updated: b.updatedCount,
    unchanged: b.unchangedCount,
    rejected: b.rejectedCount,
    status: b.status,
    createdAt: new Date(b.createdAt).toISOString(),
    createdBy: b.createdBy,
    undoneAt: b.undoneAt ? new Date(b.undoneAt).toISOString() : null,
    undoneBy: b.undoneBy,
    blocked: blocked.has(b.id),
  }));
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Import incidents</h1>
          <p className="muted">
            Canonical CSV/JSON/NDJSON, Statuspage JSON, PagerDuty, incident.io, Jira and Opsgenie API responses or exports, or any CSV with a column mapping. Up to{" "}
            {formatBytes(getMaxImportBytes(db))}. Nothing is written until you confirm.
          </p>
        </div>
      </div>
      <ImportWizard presets={presets} canMapSeverities={hasRole(actor.role, "lead")} />
      <BatchHistory batches={views} />
    </>
  );
}
