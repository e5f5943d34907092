import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChartFrame } from "@/app/_components/charts/chart-frame";
import { LagTrendChart } from "@/app/_components/charts/lag-trend-chart";
import { getDb } from "@/db/client";
import { impactFor, loadProjectContext, scopeOf } from "@/server/projects-impact";
import { getProjectBySlug, listAttributedIncidents } from "@/db/queries/projects";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { formatHours } from "@/lib/format/hours";
import { toLagMarkers } from "@/lib/charts/lag";
import { AVERAGE_QUARTERS, MET_TOLERANCE_SHARE, percentOfExpected } from "@/lib/projects/impact";
import { lagWindowDates } from "@/lib/projects/phase";
import { describeScope, isEmptyScope } from "@/lib/projects/scope";
import { incidentsInScope } from "@/lib/projects/scoped-hours";
import styles from "../../projects.module.css";
import { AttributedIncidents } from "../../_components/attributed-incidents";
import { currentPhaseText, PHASE_LABELS, PhaseBadge, StatusBadge, VerdictBadge } from "../../_components/labels";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug } = await params;
  return { title: `Project ${decodeURIComponent(slug)}` };
}

export default async function ProjectPage({ params }: Params) {
  const actor = await requirePageRole("viewer");
  const { slug } = await params;
  const db = getDb();
  const project = getProjectBySlug(db, decodeURIComponent(slug));
  if (!project) notFound();
  const ctx = loadProjectContext(db);
  const asOf = ctx.asOf;
  const tz = ctx.settings.timezone;
  const impact = impactFor(ctx, project);
  const scope = scopeOf(project);
  const inScope = incidentsInScope(ctx.incidents, scope);
  const counted = new Set(ctx.analysis.incidents.filter((i) => i.counted).map((i) => i.id));
  const dateFmt = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" });
  const attributed = listAttributedIncidents(db, project.id).map((i) => ({
    id: i.id,
    title: i.title,
    severity: i.severity,
    source: i.source,
    sourceId: i.sourceId,
    started: dateFmt.format(i.startedAt),
    attributedBy: i.attributedBy,
    inScope: inScope.has(String(i.id)),
    counted: counted.has(String(i.id)),
  }));
  const axis = ctx.analysis.quarters;
  const markers = toLagMarkers([project], axis, ctx.settings, asOf);
  const points = impact.quarters.map((q) => ({ quarter: q.quarter, hours: Math.round(q.hours * 1000) / 1000, target: null }));
  const expected = project.expectedEffectHours;
  const realised = impact.realisedEffectHours;
  const tooEarly = impact.verdict === "too_early";

  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <p className="small">
            <Link href="/projects">Projects</Link> /
          </p>
          <h1>
            {project.name} <StatusBadge status={project.status} />
          </h1>
          <p className="muted">
            {project.ownerTeam ?? "No owner team"} · {project.deliveredOn ? `delivery ${project.deliveredOn}` : "no delivery date"} · lag {project.lagMinMonths}–{project.lagMaxMonths}{" "}
            months{impact.window ? <span data-testid="lag-dates"> ({(({ from, to }) => `${from} to ${to}`)(lagWindowDates(impact.window, tz))})</span> : null} · {currentPhaseText(impact.window, asOf, tz)}
          </p>
          {project.description ? <p>{project.description}</p> : null}
          <p className="small">
            <strong>Scope:</strong> incidents with {describeScope(scope)}.
          </p>
        </div>
        {can(actor.role, "manageProjects") ? (
          <div className="row">
            <Link className="button" href={`/projects/${project.slug}/edit`}>
              Edit project
            </Link>
          </div>
        ) : null}
      </div>

      {isEmptyScope(scope) ? (
        <div className="alert alert--warning" role="status">
          This project has no scope yet, so no incident falls in it. Edit the project to name the services, deploy systems or change types it covers.
        </div>
      ) : null}

      <section className="card" aria-labelledby="effect-title" data-testid="project-effect" data-verdict={impact.verdict}>
        <div className="card__header">
          <h2 id="effect-title">Effect</h2>
          <VerdictBadge verdict={impact.verdict} />
        </div>
        {tooEarly ? (
          <div className="alert alert--info" role="status">
            <strong>Too early to tell.</strong> {impact.summary.replace(/^Too early to tell: /, "")} A flat quarter inside the lag window is not evidence that the project failed.
          </div>
        ) : null}
        <div className="grid grid--4">
          <div className="stat">
            <span className="stat__label">Average before</span>
            <span className="stat__value" data-testid="avg-before">
              {formatHours(impact.before.average)}
            </span>
            <span className="stat__sub">{impact.before.quarters.length ? `a quarter, ${impact.before.quarters.join(", ")}` : "no complete quarter before delivery"}</span>
          </div>
          <div className="stat">
            <span className="stat__label">Average after</span>
            <span className="stat__value" data-testid="avg-after">
              {formatHours(impact.after.average)}
            </span>
            <span className="stat__sub">{impact.after.quarters.length ? `a quarter, ${impact.after.quarters.join(", ")}` : "no complete quarter after the lag window yet"}</span>
          </div>
          <div className="stat">
            <span className="stat__label">Realised effect</span>
            <span className={`stat__value ${styles.effect}`} data-testid="realised">
              {realised == null ? "—" : `${realised >= 0 ? "−" : "+"}${formatHours(Math.abs(realised))}`}
            </span>
            <span className="stat__sub">{realised == null ? "needs both averages and a passed lag window" : realised >= 0 ? "fewer hours a quarter" : "more hours a quarter"}</span>
          </div>
          <div className="stat">
            <span className="stat__label">Expected effect</span>
            <span className="stat__value">{expected == null ? "—" : `−${formatHours(expected)}`}</span>
            <span className="stat__sub">
              {expected == null
                ? "not set"
                : realised == null
                  ? "a quarter once the lag has passed"
                  : realised <= 0
                    ? "none of it realised: impact did not fall"
                    : `realised is ${percentOfExpected(realised, expected) ?? 0}% of expected${impact.verdict === "met" && realised < expected ? ` (within the ${MET_TOLERANCE_SHARE * 100}% tolerance)` : ""}`}
            </span>
          </div>
        </div>
        <p data-testid="impact-summary">{impact.summary}</p>
        <p className="small muted">
          Averages use up to {AVERAGE_QUARTERS} complete quarters on each side: the ones just before delivery and the first ones after the lag window. Quarters still in progress
          and quarters inside the lag window are shown but never averaged. Hours are counted impact of incidents in scope.
        </p>
      </section>

      <ChartFrame
        id="project-impact-chart"
        title="Impact hours in scope per quarter"
        description={`Shaded: the expected lag window (${project.lagMinMonths}–${project.lagMaxMonths} months after delivery), as on the dashboard.`}
        chart={<LagTrendChart points={points} markers={markers} height={300} label={`In-scope hours per quarter for ${project.name}, with its delivery and lag window`} />}
        table={
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Quarter</th>
                <th scope="col" className="num">
                  Hours in scope
                </th>
                <th scope="col">Phase</th>
                <th scope="col">Quarter status</th>
                <th scope="col">Used in</th>
              </tr>
            </thead>
            <tbody>
              {impact.quarters.map((q) => (
                <tr key={q.quarter}>
                  <th scope="row" className={styles.rowHead}>{q.quarter}</th>
                  <td className="num">{formatHours(q.hours)}</td>
                  <td>
                    <PhaseBadge phase={q.phase} />
                  </td>
                  <td className="small">{q.status.replace("_", " ")}</td>
                  <td className="small">{q.usedIn ? `${q.usedIn} average` : q.complete ? "—" : "not complete"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
        footer={
          <ol className={styles.phaseStrip} aria-label="Phase of each quarter" data-testid="phase-strip">
            {impact.quarters.map((q) => (
              <li key={q.quarter} data-quarter={q.quarter} data-phase={q.phase} title={`${q.quarter}: ${PHASE_LABELS[q.phase]}${q.usedIn ? ` (in the ${q.usedIn} average)` : ""}`}>
                <span className="muted">{q.quarter.replace(/^FY\d\d/, "")}</span>
                <PhaseBadge phase={q.phase} />
              </li>
            ))}
          </ol>
        }
      />

      <section className="card" aria-labelledby="attributed-title">
        <div className="card__header">
          <h2 id="attributed-title">Explicitly attributed incidents ({attributed.length})</h2>
          <span className="muted small">Engineers&apos; judgement that this project would have prevented or shortened them; kept apart from the scope.</span>
        </div>
        <AttributedIncidents slug={project.slug} rows={attributed} canEdit={can(actor.role, "tag")} />
      </section>
    </div>
  );
}
