import type { SourceRecord } from "./mapping";
import { hasAll } from "./mapping";
import { isPlainObject, textAt } from "./paths";
import type { VendorMapping } from "./vendor";

/**
 * Jira Cloud / Jira Service Management, from its CSV export ("Export → CSV (all fields)")
 * and its REST search (`GET /rest/api/3/search/jql` → `{"issues": [...]}`).
 *
 * The CSV repeats a column for each value of a multi-value field (`Components`,
 * `Labels`); custom fields appear as `Custom field (Name)`. Its dates are in the
 * exporting user's locale and zone, e.g. `11/May/24 3:26 PM`, so the user states the
 * zone. `Custom field (Start date)` is a planning date, never the incident's start.
 */

/** Impact and incident times teams commonly add as custom fields, by field name. */
const CUSTOM_TIMES = {
  started_at: ["Incident start", "Incident started"],
  resolved_at: ["Incident end", "Incident ended"],
  impact_start: ["Impact start", "Impact start time", "Impact started"],
  impact_end: ["Impact end", "Impact end time", "Impact ended"],
  detected_at: ["Detected at"],
  mitigated_at: ["Mitigated at"],
} as const;
const SEVERITY_FIELDS = ["Severity", "Incident severity"];

const cf = (names: readonly string[]) => names.map((n) => `Custom field (${n})`);

export const jiraCsvMapping: VendorMapping = {
  format: "jira",
  label: "Jira / Jira Service Management CSV",
  defaultSource: "jira",
  container: "csv",
  fields: {
    id: "Issue key",
    title: "Summary",
    description: "Description",
    severity: [...cf(SEVERITY_FIELDS), "Priority"],
    status: "Status",
    started_at: [...cf(CUSTOM_TIMES.started_at), "Created"],
    resolved_at: [...cf(CUSTOM_TIMES.resolved_at), "Resolved"],
    impact_start: cf(CUSTOM_TIMES.impact_start),
    impact_end: cf(CUSTOM_TIMES.impact_end),
    detected_at: cf(CUSTOM_TIMES.detected_at),
    mitigated_at: cf(CUSTOM_TIMES.mitigated_at),
    change_type: cf(["Change type"]),
    customer_impact_pct: cf(["Customer impact %", "Customer impact"]),
    // `Components` in current Cloud exports, `Component/s` in older and Data Center ones.
    services: ["Components", "Component/s", "Custom field (Affected services)"],
    affected_features: cf(["Affected features"]),
  },
  listSeparator: /\s*,\s*/,
  dateFormats: ["dd/MMM/yy hh:mm a", "dd/MMM/yy h:mm a", "d/MMM/yy h:mm a", "dd/MMM/yyyy hh:mm a", "dd/MMM/yyyy h:mm a", "yyyy-MM-dd HH:mm", "dd/MMM/yy"],
  ignore: ["Issue id", "Parent id", "Watchers", "Attachment", "Sprint", "Σ Time Spent", "Σ Original Estimate", "Σ Remaining Estimate"],
  refuseHeaders: (headers, firstRow) => localisedJiraProblem(headers, firstRow),
  detect: (keys) => hasAll(keys, ["Summary", "Issue key"]),
};

/**
 * A Jira export with its headers in another language (the export follows the user's
 * profile language): its dates are localised too (`11/may/24`), so column names alone
 * would not make it readable. Told apart by Jira's `Custom field (…)` pattern in the
 * languages Jira writes it, or by a summary column of a known translation with, in the
 * first row, an issue key (`OPS-1421`) and a date in Jira's shape (`11/may/24 3:26 PM`);
 * null when it is not such an export.
 */
export function localisedJiraProblem(headers: readonly string[], firstRow: readonly string[]): string | null {
  if (headers.includes("Summary") && headers.includes("Issue key")) return null;
  const customField = headers.find((h) => /^[^()]+ \(.+\)$/.test(h) && LOCALISED_CUSTOM_FIELD.some((p) => h.toLowerCase().startsWith(p)));
  const summary = headers.find((h) => LOCALISED_SUMMARY.has(h.toLowerCase()));
  const keyAt = firstRow.findIndex((cell) => ISSUE_KEY.test(cell.trim()));
  const jiraDate = firstRow.some((cell) => JIRA_DATE.test(cell.trim()));
  if (!customField && !(summary && keyAt >= 0 && jiraDate)) return null;
  const named = summary && keyAt >= 0 ? `"${summary}", and "${headers[keyAt]}" holding issue keys such as ${firstRow[keyAt].trim()}` : `"${customField}"`;
  return (
    `This looks like a Jira export with its column names in another language (${named}; Jira's English export has "Summary", "Issue key", "Created"). ` +
    `Jira writes its dates in that language too, so it cannot be read as is: set your Jira profile's language to English, export again and import that file ` +
    `(or choose "Other CSV" and map the columns, with date formats that match).`
  );
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;
/** Jira's export date, `11/May/24 3:26 PM`, with the month in any language (`11/may/24 15:26`, `11/mai/24`). */
const JIRA_DATE = /^\d{1,2}\/[^\s\/\d]{3,5}\.?\/\d{2,4}(?: \d{1,2}:\d{2}(?: ?[AaPp]\.? ?[Mm]\.?)?)?$/;

/** "Summary" as Jira's CSV export writes it in other languages (lower case). */
const LOCALISED_SUMMARY = new Set(["resumen", "zusammenfassung", "résumé", "resume", "riepilogo", "resumo", "samenvatting", "podsumowanie", "概要", "요약", "摘要", "сводка"]);
/** `Custom field (Name)` in other languages: the words before the parenthesis (lower case). */
const LOCALISED_CUSTOM_FIELD = ["campo personalizado", "benutzerdefiniertes feld", "champ personnalisé", "campo personalizzato", "aangepast veld", "pole niestandardowe"];

/* ---------- REST search JSON ---------- */

/** Atlassian Document Format (API v3 descriptions) → plain text: paragraphs on their own lines. */
export function adfText(node: unknown): string {
  if (typeof node === "string") return node;
  if (!isPlainObject(node)) return "";
  if (node.type === "text") return typeof node.text === "string" ? node.text : "";
  if (node.type === "hardBreak") return "\n";
  const inner = Array.isArray(node.content) ? node.content.map(adfText) : [];
  const block = ["paragraph", "heading", "listItem", "codeBlock", "blockquote", "rule"].includes(String(node.type));
  return block ? `${inner.join("")}\n` : inner.join("");
}

/** One field value as text(s): option `value`, a named object's `name`, strings and numbers as they are. */
function fieldValues(v: unknown): string[] {
  if (v == null) return [];
  if (Array.isArray(v)) return v.flatMap(fieldValues);
  if (typeof v === "string") return v.trim() ? [v] : [];
  if (typeof v === "number" || typeof v === "boolean") return [String(v)];
  if (isPlainObject(v)) {
    if (v.type === "doc") {
      const t = adfText(v).trim();
      return t ? [t] : [];
    }
    const t = textAt(v, "value") ?? textAt(v, "name") ?? textAt(v, "displayName") ?? textAt(v, "key");
    return t ? [t] : [];
  }
  return [];
}

/** Issue fields read into canonical columns (by field id); everything else is kept under its display name. */
const SYSTEM_FIELDS = new Set(["summary", "priority", "status", "created", "resolutiondate", "components", "description", "updated", "lastViewed", "statuscategorychangedate", "watches", "votes", "worklog", "comment", "attachment", "subtasks", "issuelinks", "progress", "aggregateprogress", "timetracking", "creator", "reporter"]);

/** `self` (`https://acme.atlassian.net/rest/api/3/issue/10452`) and key → the issue's page. */
function browseUrl(self: string | undefined, key: string | undefined): string | undefined {
  if (!self || !key) return undefined;
  const m = /^(https?:\/\/[^/]+)\//.exec(self);
  return m ? `${m[1]}/browse/${key}` : undefined;
}

function prepareIssue(item: Record<string, unknown>, envelope: Record<string, unknown> | null): SourceRecord {
  const fields = isPlainObject(item.fields) ? item.fields : {};
  const names = isPlainObject(envelope?.names) ? (envelope.names as Record<string, unknown>) : {};
  const display = (id: string) => (typeof names[id] === "string" && names[id] ? (names[id] as string) : id);
  const rec: SourceRecord = {};
  const put = (k: string, v: unknown) => {
    const vals = fieldValues(v);
    if (vals.length) rec[k] = vals.length === 1 ? vals[0] : vals;
  };
  put("Issue key", item.key);
  put("Issue id", item.id);
  put("Summary", fields.summary);
  put("Priority", fields.priority);
  put("Status", fields.status);
  put("Created", fields.created);
  put("Resolved", fields.resolutiondate);
  put("Description", fields.description);
  const comps = fieldValues(fields.components);
  rec["Components"] = comps;
  const url = browseUrl(textAt(item, "self"), textAt(item, "key"));
  if (url) rec.url = url;
  for (const [id, v] of Object.entries(fields)) {
    if (SYSTEM_FIELDS.has(id)) continue;
    // Custom fields under their display name (`names`, with `expand=names`) in the CSV's spelling, so one field table reads both.
    const name = display(id);
    put(id.startsWith("customfield_") ? `Custom field (${name})` : name, v);
  }
  return rec;
}

export const jiraApiMapping: VendorMapping = {
  ...jiraCsvMapping,
  label: "Jira REST search (JSON)",
  container: "json",
  fields: { ...jiraCsvMapping.fields, url: "url" },
  listSeparator: undefined,
  dateFormats: undefined,
  prepare: prepareIssue,
  refuseHeaders: undefined,
  detect: (keys) => hasAll(keys, ["key", "fields"]) && (keys.includes("self") || keys.includes("id")),
};
