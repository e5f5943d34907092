import "server-only";
import type { Db } from "@/db/client";
import { NotFoundError, ValidationError } from "@/lib/api/errors";
import type { Analysis, QuarterAnalysis } from "@/lib/metric/analysis-types";
import { analyze } from "@/lib/metric/analyze";
import { quarterForInstant, quarterFromOrdinal, quarterOrdinal } from "@/lib/metric/calendar";
import type { EngineIncident, Settings, Targets } from "@/lib/metric/types";
import { projectImpact, type ProjectImpact, type QuarterHoursInput } from "@/lib/projects/impact";
import { BASELINE_QUARTERS, suggestTargets, type TargetPlan } from "@/lib/projects/plan";
import { rankSources, type SourceRanking } from "@/lib/projects/portfolio";
import type { ProjectScope, ScopeDimension } from "@/lib/projects/scope";
import { scopedQuarterHours } from "@/lib/projects/scoped-hours";
import { PROJECT_FIELD_NAMES, PROJECT_SCOPE_FIELDS, type ProjectField, type ProjectScopeField } from "@/lib/validation/project";
import { loadMetricInput } from "./metrics";
import { getProjectBySlug, listProjects, type ProjectRow } from "@/db/queries/projects";

/** One engine pass over every stored incident, from the first incident's quarter to asOf's. */
export interface ProjectContext {
  asOf: number;
  settings: Settings;
  targets: Targets;
  incidents: readonly EngineIncident[];
  analysis: Analysis;
  /** In-scope series per project id, filled on first use. */
  scoped: Map<number, QuarterHoursInput[]>;
}

/** Runs the engine once (as of now unless `asOf` is given); pass the result to the functions below to share it. */
export function loadProjectContext(db: Db, asOf: number = Date.now()): ProjectContext {
  const input = loadMetricInput(db, { asOf });
  return { asOf, settings: input.settings, targets: input.targets, incidents: input.incidents, analysis: analyze(input), scoped: new Map() };
}

export function scopeOf(p: ProjectRow): ProjectScope {
  return { services: p.scopeServices, deploySystems: p.scopeDeploySystems, changeTypes: p.scopeChangeTypes };
}

/** A project as the API returns it: its fields in PROJECT_FIELDS order, the scope lists nested as `scope`. */
export type ProjectJson = Omit<Pick<ProjectRow, ProjectField>, ProjectScopeField> & { scope: ProjectScope; isDemo: boolean; createdAt: string; updatedAt: string };

const SCOPE_FIELDS = new Set<ProjectField>(PROJECT_SCOPE_FIELDS);

/** The project fields the API returns. */
export function projectJson(p: ProjectRow): ProjectJson {
  const json: Record<string, unknown> = {};
  for (const f of PROJECT_FIELD_NAMES) {
    if (!SCOPE_FIELDS.has(f)) json[f] = p[f];
    else json.scope ??= scopeOf(p);
  }
  return { ...json, isDemo: p.isDemo, createdAt: new Date(p.createdAt).toISOString(), updatedAt: new Date(p.updatedAt).toISOString() } as ProjectJson;
}

/** A project's in-scope hours per quarter, computed once per context. */
export function scopedFor(ctx: ProjectContext, p: ProjectRow): QuarterHoursInput[] {
  let series = ctx.scoped.get(p.id);
  if (!series) ctx.scoped.set(p.id, (series = scopedQuarterHours(ctx.analysis, ctx.incidents, scopeOf(p))));
  return series;
}

/** A project's impact from a shared context (the page, the API and the portfolio table all use this). */
export function impactFor(ctx: ProjectContext, p: ProjectRow): ProjectImpact {
  return projectImpact(p, scopedFor(ctx, p), ctx.asOf, ctx.settings.timezone);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The JSON of `GET /api/projects/:slug/impact`: instants as ISO strings. */
export function impactJson(p: ProjectRow, impact: ProjectImpact, asOf: number) {
  return {
    project: projectJson(p),
    asOf: iso(asOf),
    window: impact.window
      ? { delivery: iso(impact.window.delivery), lagStart: iso(impact.window.lagStart), lagEnd: iso(impact.window.lagEnd) }
      : null,
    quarters: impact.quarters.map((q) => ({ ...q, start: iso(q.start), end: iso(q.end) })),
    before: impact.before,
    after: impact.after,
    expectedEffectHours: impact.expectedEffectHours,
    realisedEffectHours: impact.realisedEffectHours,
    verdict: impact.verdict,
    summary: impact.summary,
  };
}
export type ImpactJson = ReturnType<typeof impactJson>;

/** A project and its impact as of `asOf`; NotFoundError for an unknown slug. */
export function computeProjectImpact(db: Db, slug: string, opts: { asOf: number; context?: ProjectContext }): { project: ProjectRow; impact: ProjectImpact } {
  const project = getProjectBySlug(db, slug);
  if (!project) throw new NotFoundError(`No project "${slug}"`);
  const ctx = opts.context ?? loadProjectContext(db, opts.asOf);
  return { project, impact: impactFor(ctx, project) };
}

/** Complete quarters of the analysis (ended at or before asOf), oldest first. */
export function completeQuarters(ctx: ProjectContext): QuarterAnalysis[] {
  return ctx.analysis.quarters.filter((q) => q.endMs <= ctx.asOf);
}

export interface PortfolioOptions {
  dimension: ScopeDimension;
  /** Inclusive quarter ids; default: the last 4 complete quarters. */
  from?: string;
  to?: string;
}

/**
 * Sources of impact over a period, ranked with cumulative share and covering projects.
 * Quarters outside the analysed range are ignored; a reversed range is a ValidationError.
 */
export function computeSourceRanking(db: Db, ctx: ProjectContext, opts: PortfolioOptions, rows: ProjectRow[] = listProjects(db)): SourceRanking {
  const complete = completeQuarters(ctx);
  const from = opts.from ?? complete.slice(-4)[0]?.quarter;
  const to = opts.to ?? complete.at(-1)?.quarter;
  if (!from || !to) return { dimension: opts.dimension, quarters: [], totalHours: 0, rows: [] };
  if (quarterOrdinal(from) > quarterOrdinal(to)) throw new ValidationError("from is after to", [{ field: "from", message: `${from} is after ${to}` }]);
  const [a, b] = [quarterOrdinal(from), quarterOrdinal(to)];
  const quarters = ctx.analysis.quarters.filter((q) => quarterOrdinal(q.quarter) >= a && quarterOrdinal(q.quarter) <= b);
  return rankSources(
    quarters,
    opts.dimension,
    rows.map((p) => ({ slug: p.slug, name: p.name, status: p.status, scope: scopeOf(p) })),
  );
}

/** Suggested targets for the `horizon` quarters after the one holding asOf, beside the targets now set for them. */
export function computeTargetPlan(db: Db, ctx: ProjectContext, horizon = 4, rows: ProjectRow[] = listProjects(db)): TargetPlan & { current: Record<string, number | null> } {
  const cur = quarterOrdinal(quarterForInstant(ctx.asOf, ctx.settings).id);
  const coming = Array.from({ length: horizon }, (_, i) => {
    const q = quarterFromOrdinal(cur + 1 + i, ctx.settings);
    return { quarter: q.id, start: q.start, end: q.end };
  });
  const history = ctx.analysis.quarters.map((q) => ({ quarter: q.quarter, start: q.startMs, end: q.endMs, hours: q.hours }));
  // Each project's in-scope average over the same baseline quarters caps what it can remove.
  const baseline = new Set(completeQuarters(ctx).slice(-BASELINE_QUARTERS).map((q) => q.quarter));
  const projects = rows.map((p) => {
    const scoped = scopedFor(ctx, p).filter((q) => baseline.has(q.quarter));
    return { ...p, scopeBaselineHours: scoped.length ? scoped.reduce((s, q) => s + q.hours, 0) / scoped.length : null };
  });
  const plan = suggestTargets(history, coming, projects, ctx.asOf, ctx.settings.timezone);
  const current = Object.fromEntries(coming.map((q) => [q.quarter, ctx.targets[q.quarter] ?? null]));
  return { ...plan, current };
}
