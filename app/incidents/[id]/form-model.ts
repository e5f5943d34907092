/** The incident editor's form model: input strings ⇄ curated values. Pure; used by the client editor. */
import { fromLocalInput, toLocalInput } from "@/lib/incidents/format";
import { CURATED_FIELDS, sameValue, type CuratedField, type CurationValues } from "@/lib/validation/curation";

export type FormValues = Record<Exclude<CuratedField, "projects" | "linkedDeployId">, string> & { projects: string[]; linkedDeployId: number | null };

const list = (v: string[]) => v.join("; ");
const num = (v: number | null) => (v == null ? "" : String(v));

export function toForm(v: CurationValues, tz: string): FormValues {
  return {
    trigger: v.trigger,
    changeType: v.changeType ?? "",
    deploySystem: v.deploySystem ?? "",
    services: list(v.services),
    affectedFeatures: list(v.affectedFeatures),
    customerImpactPct: num(v.customerImpactPct),
    impactStart: toLocalInput(v.impactStart, tz),
    impactEnd: toLocalInput(v.impactEnd, tz),
    detectedAt: toLocalInput(v.detectedAt, tz),
    mitigatedAt: toLocalInput(v.mitigatedAt, tz),
    remediation: v.remediation ?? "",
    fleetExposurePct: num(v.fleetExposurePct),
    analysisStatus: v.analysisStatus,
    override: v.override ?? "",
    overrideReason: v.overrideReason ?? "",
    projects: [...v.projects],
    linkedDeployId: v.linkedDeployId,
  };
}

function splitList(s: string): string[] {
  const out: string[] = [];
  for (const p of s.split(/[;,]/)) {
    const t = p.trim();
    if (t && !out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t);
  }
  return out;
}

function pct(s: string): number | null {
  if (!s.trim()) return null;
  const n = Number(s.trim());
  return Number.isFinite(n) ? n : NaN;
}

/**
 * Form → values. Unreadable inputs come back as `errors` (shown before any round trip);
 * their fields keep `fallback`'s value so the live "why it counts" panel still works.
 */
export function fromForm(f: FormValues, tz: string, fallback: CurationValues): { values: CurationValues; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const instant = (field: "impactStart" | "impactEnd" | "detectedAt" | "mitigatedAt") => {
    // The input shows minutes; an untouched field keeps its exact stored instant (seconds included).
    if (f[field] === toLocalInput(fallback[field], tz)) return fallback[field];
    const v = fromLocalInput(f[field], tz);
    if (v !== null && Number.isNaN(v)) {
      errors[field] = ["enter a date and time"];
      return fallback[field];
    }
    return v;
  };
  const percent = (field: "customerImpactPct" | "fleetExposurePct") => {
    const v = pct(f[field]);
    if (v !== null && (Number.isNaN(v) || v < 0 || v > 100)) {
      errors[field] = ["must be a number from 0 to 100"];
      return fallback[field];
    }
    return v;
  };
  const values: CurationValues = {
    trigger: f.trigger as CurationValues["trigger"],
    changeType: f.changeType.trim() || null,
    deploySystem: f.deploySystem.trim() || null,
    services: splitList(f.services),
    affectedFeatures: splitList(f.affectedFeatures),
    customerImpactPct: percent("customerImpactPct"),
    impactStart: instant("impactStart"),
    impactEnd: instant("impactEnd"),
    detectedAt: instant("detectedAt"),
    mitigatedAt: instant("mitigatedAt"),
    remediation: f.remediation.trim() || null,
    fleetExposurePct: percent("fleetExposurePct"),
    analysisStatus: f.analysisStatus as CurationValues["analysisStatus"],
    override: (f.override || null) as CurationValues["override"],
    overrideReason: f.overrideReason.trim() || null,
    projects: [...f.projects].sort(),
    linkedDeployId: f.linkedDeployId,
  };
  if (values.impactStart != null && values.impactEnd != null && values.impactEnd < values.impactStart) (errors.impactEnd ??= []).push("Impact end is before impact start");
  if (values.override && !values.overrideReason) (errors.overrideReason ??= []).push("An include/exclude override needs a reason");
  return { values, errors };
}

/** Fields whose value differs between two records. */
export function changedFields(a: CurationValues, b: CurationValues): CuratedField[] {
  return CURATED_FIELDS.filter((k) => !sameValue(k === "projects" ? [...a.projects].sort() : a[k], k === "projects" ? [...b.projects].sort() : b[k]));
}

/** A patch of the given fields (the action takes epoch ms instants). */
export function patchOf(v: CurationValues, fields: CuratedField[], version: number): Record<string, unknown> {
  const out: Record<string, unknown> = { version };
  for (const k of fields) out[k] = v[k];
  return out;
}
