/** Audit rows → CSV / JSON documents. Pure. */
import { toCsv, type CsvColumn } from "@/lib/export/csv";

export interface AuditExportRow {
  id: number;
  at: number;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  detail: unknown;
  ip: string | null;
}

/** A stored JSON value as its JSON text (a list stays JSON here, not `a;b`: it is a record, not a field to re-import). */
const json = (v: unknown) => (v == null ? null : JSON.stringify(v));

const COLUMNS: CsvColumn<AuditExportRow>[] = [
  { header: "id", value: (r) => r.id },
  { header: "at", value: (r) => new Date(r.at).toISOString() },
  { header: "actor_id", value: (r) => r.actorId },
  { header: "actor", value: (r) => r.actorLabel },
  { header: "action", value: (r) => r.action },
  { header: "entity_type", value: (r) => r.entityType },
  { header: "entity_id", value: (r) => r.entityId },
  { header: "before", value: (r) => json(r.before) },
  { header: "after", value: (r) => json(r.after) },
  { header: "detail", value: (r) => json(r.detail) },
  { header: "ip", value: (r) => r.ip },
];

/** The trail as CSV through the one writer (neutralised cells); lines end in CRLF, as this export always has. */
export function auditToCsv(rows: AuditExportRow[]): string {
  return toCsv(COLUMNS, rows, { lineEnd: "\r\n" });
}

export function auditToJson(rows: AuditExportRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
    null,
    2,
  );
}
