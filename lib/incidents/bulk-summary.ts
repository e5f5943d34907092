/**
 * What a bulk edit changed, in the words the list's confirmation uses:
 * "trigger → change, analysis → final, project + canary".
 */

export interface BulkEditFields {
  trigger?: string;
  changeType?: string | null;
  deploySystem?: string | null;
  remediation?: string | null;
  analysisStatus?: string;
  addProject?: string;
}

const LABELS: [keyof BulkEditFields, string][] = [
  ["trigger", "trigger"],
  ["changeType", "change type"],
  ["deploySystem", "deploy system"],
  ["remediation", "remediation"],
  ["analysisStatus", "analysis"],
];

export function describeBulkEdit(edit: BulkEditFields): string {
  const parts: string[] = [];
  for (const [key, label] of LABELS) {
    const v = edit[key];
    if (v === undefined) continue;
    parts.push(`${label} → ${v === null || v === "" ? "(none)" : v}`);
  }
  if (edit.addProject) parts.push(`project + ${edit.addProject}`);
  return parts.join(", ");
}

/** "12 incidents updated: trigger → change. 2 already had these values. 5 no longer match the filter." */
export function bulkEditMessage(r: { updated: number; unchanged: number; changes: string; leftFilter: number }): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  let text = `${plural(r.updated, "incident", "incidents")} updated${r.changes ? `: ${r.changes}` : ""}.`;
  if (r.unchanged) text += ` ${r.unchanged} already had these values.`;
  if (r.leftFilter) text += ` ${plural(r.leftFilter, "no longer matches", "no longer match")} the filter.`;
  return text;
}
