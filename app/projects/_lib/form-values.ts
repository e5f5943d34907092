import "server-only";
import type { Db } from "@/db/client";
import { listFilterOptions } from "@/db/queries/dashboard-reads";
import type { ProjectRow } from "@/db/queries/projects";
import { CHANGE_TYPES } from "@/lib/validation/curation";
import { DEFAULT_LAG } from "@/lib/validation/project";
import type { ProjectFormValues } from "../_components/project-form";

export const EMPTY_PROJECT_VALUES: ProjectFormValues = {
  slug: "",
  name: "",
  ownerTeam: "",
  description: "",
  status: "planned",
  deliveredOn: "",
  scopeServices: "",
  scopeDeploySystems: "",
  scopeChangeTypes: "",
  lagMinMonths: String(DEFAULT_LAG.min),
  lagMaxMonths: String(DEFAULT_LAG.max),
  expectedEffectHours: "",
};

export function formValuesOf(p: ProjectRow): ProjectFormValues {
  return {
    slug: p.slug,
    name: p.name,
    ownerTeam: p.ownerTeam ?? "",
    description: p.description ?? "",
    status: p.status,
    deliveredOn: p.deliveredOn ?? "",
    scopeServices: p.scopeServices.join(", "),
    scopeDeploySystems: p.scopeDeploySystems.join(", "),
    scopeChangeTypes: p.scopeChangeTypes.join(", "),
    lagMinMonths: String(p.lagMinMonths),
    lagMaxMonths: String(p.lagMaxMonths),
    expectedEffectHours: p.expectedEffectHours == null ? "" : String(p.expectedEffectHours),
  };
}

/** Known values for the scope fields' hints. */
export function scopeOptions(db: Db): { services: string[]; deploySystems: string[]; changeTypes: string[] } {
  return { ...listFilterOptions(db), changeTypes: [...CHANGE_TYPES] };
}
