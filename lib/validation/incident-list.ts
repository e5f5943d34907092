/**
 * The incident list's query: the same schema reads the page's URL and
 * `GET /api/incidents`, so a shared link and an API call mean the same thing.
 */
import { z } from "zod";
import { isQuarterId } from "@/lib/metric/calendar";
import { ANALYSIS_STATUSES, TRIGGERS } from "@/lib/metric/types";

export const INCIDENT_SORTS = ["started", "title", "severity", "duration", "sourceId", "updated"] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];
export const PAGE_SIZES = [25, 50, 100, 200] as const;

const optionalText = (max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().max(max, `must be at most ${max} characters`))
    .optional()
    .transform((s) => (s ? s : undefined));

const yesNo = z.enum(["yes", "no"], { error: "must be yes or no" }).optional();

export const incidentListQuerySchema = z.object({
  q: optionalText(200),
  quarter: optionalText(20).refine((v) => v === undefined || isQuarterId(v), "must be a quarter such as FY2025-Q1"),
  severity: optionalText(50),
  trigger: z.enum(TRIGGERS, { error: "must be change, other or unknown (untriaged)" }).optional(),
  counted: yesNo,
  service: optionalText(200),
  deploySystem: optionalText(200),
  changeType: optionalText(100),
  project: optionalText(100),
  analysisStatus: z.enum(ANALYSIS_STATUSES, { error: "must be pending or final" }).optional(),
  reviewed: yesNo,
  /** Incidents by internal id, comma-separated (the link after a bulk edit shows the rows it moved). */
  ids: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[1-9]\d{0,15}$/, "must be incident ids separated by commas").transform(Number)).max(1000, "must list at most 1000 incidents"))
    .optional()
    .transform((v) => (v?.length ? v : undefined)),
  sort: z.enum(INCIDENT_SORTS, { error: `must be one of ${INCIDENT_SORTS.join(", ")}` }).default("started"),
  dir: z.enum(["asc", "desc"], { error: "must be asc or desc" }).default("desc"),
  page: z.coerce.number({ error: "must be a page number" }).int("must be a whole number").min(1, "must be 1 or more").max(100_000).default(1),
  pageSize: z.coerce
    .number({ error: "must be a number" })
    .int()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), `must be one of ${PAGE_SIZES.join(", ")}`)
    .default(50),
});

export type IncidentListQuery = z.output<typeof incidentListQuerySchema>;

/** Filter keys (everything but paging and sorting), in the order the filter bar shows them. */
export const FILTER_KEYS = ["q", "quarter", "severity", "trigger", "counted", "service", "deploySystem", "changeType", "project", "analysisStatus", "reviewed", "ids"] as const;

/** URLSearchParams / Next's searchParams → a plain object of first values. */
export function searchParamsObject(sp: URLSearchParams | Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  if (sp instanceof URLSearchParams) {
    for (const [k, v] of sp) if (!(k in out)) out[k] = v;
  } else {
    for (const [k, v] of Object.entries(sp)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (first !== undefined) out[k] = first;
    }
  }
  return out;
}

/** The query as URL parameters, leaving defaults out so links stay short. */
export function toSearchParams(q: Partial<IncidentListQuery>): URLSearchParams {
  const sp = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = q[k];
    if (v !== undefined && v !== "") sp.set(k, String(v));
  }
  if (q.sort && q.sort !== "started") sp.set("sort", q.sort);
  if (q.dir && q.dir !== "desc") sp.set("dir", q.dir);
  if (q.page && q.page !== 1) sp.set("page", String(q.page));
  if (q.pageSize && q.pageSize !== 50) sp.set("pageSize", String(q.pageSize));
  return sp;
}
