import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { getDb } from "@/db/client";
import { computeSourceRanking, impactFor, loadProjectContext } from "@/server/projects-impact";
import { countAttributions, listProjects } from "@/db/queries/projects";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { formatHours } from "@/lib/format/hours";
import { percentOfExpected } from "@/lib/projects/impact";
import type { ScopeDimension } from "@/lib/projects/scope";
import { periodParams, resolvePeriod } from "@/lib/charts/period";
import { quarterForInstant } from "@/lib/metric/calendar";
import { PeriodControl } from "@/app/_components/period-control";
import { ImportProjectsForm } from "../_components/import-projects-form";
import { currentPhaseText, StatusBadge, VerdictBadge } from "../_components/labels";
import { SourceRankingCard } from "../_components/source-ranking";
import styles from "../projects.module.css";

export const metadata: Metadata = { title: "Projects" };
export const dynamic = "force-dynamic";

const dimSchema = z.enum(["service", "deploySystem", "changeType"]).catch("service");

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v || undefined;
}

export default async function ProjectsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageRole("viewer");
  const raw = await searchParams;
  const dim: ScopeDimension = dimSchema.parse(first(raw.dim));

  const db = getDb();
  const ctx = loadProjectContext(db);
  const asOf = ctx.asOf;
  const rows = listProjects(db);
  const counts = countAttributions(db);
  // The period (?from=&to=): the last eight quarters and the current one unless the URL says otherwise.
  const current = quarterForInstant(asOf, ctx.settings).id;
  const period = resolvePeriod({ from: raw.from, to: raw.to }, { current, earliest: ctx.analysis.quarters[0]?.quarter ?? null });
  const error = period.error ? `Period ignored: ${period.error}` : null;
  const ranking = computeSourceRanking(db, ctx, { dimension: dim, from: period.from, to: period.to }, rows);
  const ends = periodParams(period, current);
  const periodHref = (r: { from: string; to: string }) => `/projects?${new URLSearchParams({ ...(dim !== "service" ? { dim } : {}), ...periodParams(r, current) })}`;
  const manage = can(actor.role, "manageProjects");

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Projects</h1>
          <p className="muted">What the program is doing about its largest sources of impact, and whether it worked.</p>
        </div>
        <div className="row">
          <Link className="button" href="/projects/plan">
            Target planning
          </Link>
          {manage ? (
            <Link className="button button--primary" href="/projects/new">
              New project
            </Link>
          ) : null}
        </div>
      </div>

      <section className="card" aria-labelledby="projects-title">
        <div className="card__header">
          <h2 id="projects-title">Projects</h2>
          <span className="muted small">Effects compare in-scope hours a quarter before delivery with those after the lag window.</span>
        </div>
        {rows.length === 0 ? (
          <div className="empty-state">
            <h2>No projects yet</h2>
            <p>Add the reliability work the program is betting on: what it covers (services, deploy systems, change types), when it lands, and how many hours a quarter it should remove.</p>
            {manage ? (
              <div className="row">
                <Link className="button button--primary" href="/projects/new">
                  Create a project
                </Link>
                <a className="button" href="#import">
                  Import from a file
                </a>
              </div>
            ) : (
              <p className="small">A program lead can create projects.</p>
            )}
          </div>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="projects-table">
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col">Status</th>
                  <th scope="col">Phase now</th>
                  <th scope="col" className="num">
                    Realised
                  </th>
                  <th scope="col" className="num">
                    Expected
                  </th>
                  <th scope="col">Verdict</th>
                  <th scope="col" className="num">
                    Attributed incidents
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => {
                  const impact = impactFor(ctx, p);
                  return (
                    <tr key={p.slug} data-slug={p.slug}>
                      <th scope="row" className={styles.rowHead}>
                        <Link href={`/projects/${p.slug}`}>{p.name}</Link>
                        <div className="muted small">{p.ownerTeam ?? "No owner team"}</div>
                      </th>
                      <td>
                        <StatusBadge status={p.status} />
                      </td>
                      <td className="small">{currentPhaseText(impact.window, asOf, ctx.settings.timezone)}</td>
                      <td className="num">
                        {impact.realisedEffectHours == null ? "—" : `${formatHours(impact.realisedEffectHours)}/q`}
                        {percentOfExpected(impact.realisedEffectHours, p.expectedEffectHours) != null ? (
                          <div className="muted small">{percentOfExpected(impact.realisedEffectHours, p.expectedEffectHours)}% of expected</div>
                        ) : null}
                      </td>
                      <td className="num">{p.expectedEffectHours == null ? "—" : `${formatHours(p.expectedEffectHours)}/q`}</td>
                      <td>
                        <VerdictBadge verdict={impact.verdict} />
                      </td>
                      <td className="num">{counts.get(p.id) ?? 0}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <PeriodControl action="/projects" period={period} quarters={ctx.analysis.quarters.map((q) => q.quarter).filter((q) => q <= current)} keep={dim !== "service" ? { dim } : {}} hrefFor={periodHref} />
      <SourceRankingCard ranking={ranking} dimension={dim} from={ends.from ?? null} to={ends.to ?? null} error={error} />

      {manage ? (
        <section className="card" id="import" aria-labelledby="import-title">
          <div className="card__header">
            <h2 id="import-title">Import projects</h2>
          </div>
          <ImportProjectsForm />
        </section>
      ) : null}
    </div>
  );
}
