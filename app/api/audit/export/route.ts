import { getDb } from "@/db/client";
import { listAudit } from "@/db/queries/audit";
import { issuesFromZod, ValidationError } from "@/lib/api/errors";
import { withRole } from "@/server/auth/api";
import { auditToCsv, auditToJson } from "@/lib/audit/export";
import { parseAuditQuery, toAuditFilters } from "@/lib/audit/filters";

export const dynamic = "force-dynamic";

const MAX_EXPORT_ROWS = 100_000;

/** GET /api/audit/export?format=csv|json&action=&actor=&entity=&entityId=&from=&to= (lead and above). */
export const GET = withRole("lead", (req) => {
  const params = new URL(req.url).searchParams;
  const format = params.get("format") ?? "csv";
  if (format !== "csv" && format !== "json") throw new ValidationError("format must be csv or json", [{ field: "format", message: "Use csv or json" }]);
  const parsed = parseAuditQuery(params);
  if (!parsed.success) throw new ValidationError("Invalid filters", issuesFromZod(parsed.error));
  const rows = listAudit(getDb(), { ...toAuditFilters(parsed.data), limit: MAX_EXPORT_ROWS });
  const stamp = new Date().toISOString().slice(0, 10);
  const body = format === "csv" ? auditToCsv(rows) : auditToJson(rows);
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
});
