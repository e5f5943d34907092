import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ExportButton } from "@/app/_components/export-button";
import { getDb } from "@/db/client";
import { resolveReport, type ResolvedReport } from "@/server/report-view";
import { NARRATIVE_MAX_CHARS } from "@/db/queries/reports";
import { parseQuarterParam } from "@/server/reports";
import { NotFoundError } from "@/lib/api/errors";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { formatLastDay, formatLocalDate } from "@/lib/export/format";
import { reasonLabel, statusLabel } from "@/lib/metric/labels";
import { formatDelta, formatHours } from "@/lib/format/hours";
import { reportPageQuery } from "@/lib/validation/report-query";
import { CopySummaryButton } from "../_components/copy-summary-button";
import { NarrativeForm } from "../_components/narrative-form";
import { PublishForm } from "../_components/publish-form";
import { ReportBody } from "../_components/report-body";
import styles from "../reports.module.css";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ quarter: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { quarter } = await params;
  return { title: parseQuarterParam(quarter) ? `${quarter} report` : "Report not found" };
}

const STATUS_BADGE: Record<string, string> = { final: "badge--success", provisional: "badge--warning", in_progress: "badge--info", future: "badge--neutral" };

function dateTime(ms: number, tz: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: tz, dateStyle: "medium", timeStyle: "short" }).format(new Date(ms));
}

export default async function QuarterReportPage({ params, searchParams }: Params) {
  const actor = await requirePageRole("viewer");
  const { quarter: raw } = await params;
  const quarter = parseQuarterParam(raw);
  if (!quarter) notFound();
  const sp = await searchParams;
  const parsed = reportPageQuery(sp);
  if (!parsed.success) notFound();

  let r: ResolvedReport;
  try {
    r = resolveReport(getDb(), quarter, { version: parsed.data.version, live: parsed.data.view === "live" });
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
  const m = r.model;
  const isLead = can(actor.role, "publish");
  const live = r.mode === "live";
  const fileQuery = r.published ? `?version=${r.published.version}` : r.versions.length ? "?view=live" : "";
  const latest = r.versions.at(-1);

  return (
    <article className={styles.report}>
      <div className="page-header">
        <div>
          <p className="small muted no-print">
            <Link href="/reports">Reports</Link> /
          </p>
          <h1>{quarter} report</h1>
          <p className="muted">
            {formatLocalDate(m.start, m.timezone)} to {formatLastDay(m.end, m.timezone)} · <span className={`badge ${STATUS_BADGE[m.figure.status] ?? "badge--neutral"}`}>{statusLabel(m.figure.status)}</span>
          </p>
        </div>
        <div className={`${styles.toolbar} no-print`}>
          <a className="button button--small" href={`/api/reports/${quarter}.pdf${fileQuery}`} download data-testid="download-pdf">
            Download PDF
          </a>
          <CopySummaryButton href={`/api/reports/${quarter}.txt${fileQuery}`} />
          <ExportButton href="/api/export/incidents" params={{ quarter }} what={`every incident overlapping ${quarter}`} />
        </div>
      </div>

      <div className={`alert ${live ? "alert--info" : "alert--success"} ${styles.modeBar}`} data-testid="report-mode">
        <span>
          {r.published ? (
            <>
              <strong>Published version {r.published.version}</strong> on {dateTime(r.published.publishedAt, m.timezone)}
              {r.published.publishedBy ? ` by ${r.published.publishedBy}` : ""}. These figures are frozen.
              {!r.published.inForce ? " A later version or a reopening has superseded it." : ""}
            </>
          ) : (
            <>
              <strong>Live figures</strong> as of {dateTime(Date.parse(m.asOf), m.timezone)}
              {r.versions.length ? "; they may differ from what was published." : "; not published yet."}
            </>
          )}
        </span>
        <span className={`${styles.versions} no-print`}>
          {r.published ? (
            <Link href={`/reports/${quarter}?view=live`} className="button button--small">
              View live figures
            </Link>
          ) : latest ? (
            <Link href={`/reports/${quarter}?version=${latest.version}`} className="button button--small">
              View published version {latest.version}
            </Link>
          ) : null}
          {r.versions.length > 1 ? (
            <span className="small">
              Versions:{" "}
              {r.versions.map((v) => (
                <Link key={v.version} href={`/reports/${quarter}?version=${v.version}`} aria-current={r.published?.version === v.version ? "page" : undefined} style={{ marginRight: "0.4rem" }}>
                  v{v.version}
                </Link>
              ))}
            </span>
          ) : null}
        </span>
      </div>

      {r.restatement ? (
        <div className="alert alert--warning" role="note" data-testid="restatement">
          <strong>
            Restated: reported {formatHours(r.restatement.reported)}, now {formatHours(r.restatement.now)} ({formatDelta(r.restatement.delta)}).
          </strong>{" "}
          The published figures above stay as published; the incidents that moved the figure since:
          <ul>
            {r.restatement.moved.slice(0, 20).map((mv) => (
              <li key={mv.id}>
                <Link href={`/incidents/${mv.id}`}>{mv.sourceId}</Link> {mv.title}: {formatHours(mv.before)} → {formatHours(mv.after)}
                {mv.reasonBefore !== mv.reasonAfter ? ` (${mv.reasonBefore ? reasonLabel(mv.reasonBefore) : "not counted"} → ${mv.reasonAfter ? reasonLabel(mv.reasonAfter) : "removed"})` : ""}
              </li>
            ))}
          </ul>
          {r.restatement.moved.length > 20 ? <p className="small">and {r.restatement.moved.length - 20} more</p> : null}
        </div>
      ) : null}

      <ReportBody
        model={m}
        live={live}
        afterChart={
          <section className={`card ${styles.section} ${styles.narrative}`} aria-labelledby="narr-h">
            <h2 id="narr-h">Program lead&apos;s notes</h2>
            {live && isLead ? (
              <>
                {m.narrative ? <p className={styles.printOnly}>{m.narrative}</p> : null}
                <NarrativeForm quarter={quarter} narrative={m.narrative ?? ""} maxChars={NARRATIVE_MAX_CHARS} />
              </>
            ) : m.narrative ? (
              m.narrative.split(/\n{2,}/).map((p, i) => <p key={i}>{p}</p>)
            ) : (
              <p className="muted">{live ? "The program lead has not written notes for this quarter yet." : "Published without notes."}</p>
            )}
          </section>
        }
      />

      {live && isLead ? (
        <section className={`card no-print`} style={{ marginTop: "1rem" }} aria-labelledby="pub-h">
          <h2 id="pub-h">Publish</h2>
          {r.ended ? (
            <PublishForm quarter={quarter} nextVersion={r.versions.length + 1} />
          ) : (
            <p className="muted">{quarter} is still in progress; it can be published once it has ended.</p>
          )}
        </section>
      ) : null}
    </article>
  );
}
