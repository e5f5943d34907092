import { z } from "zod";

/**
 * The audit trail's filters as they appear in the URL (`/audit?action=...&from=2025-01-01`)
 * and the export route. Dates are whole UTC days; `to` includes its day.
 */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Not a date");

/** An empty form field means "no filter". */
const blank = (v: unknown) => (v === "" ? undefined : v);

const text = (max: number) => z.string().trim().max(max).optional().transform((v) => (v ? v : undefined));

export const auditQuerySchema = z
  .object({
    action: text(100),
    actor: text(320),
    entity: text(100),
    entityId: text(200),
    from: z.preprocess(blank, day.optional()),
    to: z.preprocess(blank, day.optional()),
    before: z.preprocess(blank, z.coerce.number().int().positive().optional()),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ["to"], message: "End is before start" });

export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Search params (first value of each key) → validated query, with every field error. */
export function parseAuditQuery(params: Record<string, string | string[] | undefined> | URLSearchParams) {
  const get = (k: string) => {
    if (params instanceof URLSearchParams) return params.get(k) ?? undefined;
    const v = params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  return auditQuerySchema.safeParse({
    action: get("action"),
    actor: get("actor"),
    entity: get("entity"),
    entityId: get("entityId"),
    from: get("from"),
    to: get("to"),
    before: get("before"),
  });
}

const DAY_MS = 86_400_000;

/** Query → the filter shape db/queries/audit.ts's listAudit takes. */
export function toAuditFilters(q: AuditQuery) {
  return {
    action: q.action,
    actor: q.actor,
    entityType: q.entity,
    entityId: q.entityId,
    from: q.from ? Date.parse(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? Date.parse(`${q.to}T00:00:00Z`) + DAY_MS : undefined,
    beforeId: q.before,
  };
}

/** The query as URL search params, without empty values (for links and export URLs). */
export function auditQueryString(q: Partial<AuditQuery>, extra: Record<string, string | number> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}
