/** Audit rows → CSV / JSON documents. Pure. */

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

/**
 * A CSV cell: quoted when needed; a value beginning with = + - @ or a control character
 * gets a leading apostrophe so a spreadsheet shows it as text instead of running it.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r\n\u0000-\u001f]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

const COLUMNS = ["id", "at", "actor_id", "actor", "action", "entity_type", "entity_id", "before", "after", "detail", "ip"] as const;

export function auditToCsv(rows: AuditExportRow[]): string {
  const lines = [COLUMNS.join(",")];
  for (const r of rows) {
    lines.push(
      [r.id, new Date(r.at).toISOString(), r.actorId, r.actorLabel, r.action, r.entityType, r.entityId, r.before, r.after, r.detail, r.ip].map(csvCell).join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}

export function auditToJson(rows: AuditExportRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
    null,
    2,
  );
}
