import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { incidentFilterChoices } from "@/db/queries/incidents";
import { incidentView } from "@/server/incident-view";
import { causingChangeView } from "@/server/causing-change";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { formatInstant } from "@/lib/incidents/format";
import { incidentIdParamSchema } from "@/lib/validation/route-params";
import { TriggerBadge } from "../_components/incident-table";
import { CausingChangePanel } from "./causing-change-panel";
import { History } from "./history";
import { IncidentEditor } from "./incident-editor";
import { ReviewControl } from "./review-control";
import styles from "./incident.module.css";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Incident ${(await params).id}` };
}

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageRole("viewer");
  const parsed = incidentIdParamSchema.safeParse((await params).id);
  if (!parsed.success) notFound();
  const id = parsed.data;
  const db = getDb();
  const view = incidentView(db, id);
  if (!view) notFound();
  const { incident: i, curation: c, duplicateOf, duplicates, linkedDeploy } = view.detail;
  const tz = view.settings.timezone;
  const choices = incidentFilterChoices(db);
  const custom = Object.entries(i.customFields ?? {});
  const cause = causingChangeView(db, id, view.asOf);

  return (
    <div className="stack">
      <nav className="small">
        <Link href="/incidents">← Incidents</Link>
        {c.trigger === "unknown" ? (
          <>
            {" · "}
            <Link href="/incidents/triage">Triage queue</Link>
          </>
        ) : null}
      </nav>
      <div className="page-header">
        <div>
          <h1>{i.title}</h1>
          <p className="muted">
            <span className="mono">{i.sourceId}</span> from {i.source} · {i.severity} · <TriggerBadge trigger={c.trigger} />{" "}
            {view.explanation.counted ? <span className="badge badge--danger">Counts</span> : null}{" "}
            {c.trigger !== "unknown" ? (
              c.reviewedAt ? (
                <span className="badge badge--success">
                  Reviewed by {c.reviewedBy} {formatInstant(c.reviewedAt, tz)}
                </span>
              ) : (
                <span className="badge badge--warning">Tag not reviewed</span>
              )
            ) : null}
          </p>
        </div>
        <div className="row">
          {can(actor.role, "closeQuarter") ? <ReviewControl incidentId={i.id} reviewed={c.reviewedAt != null} triaged={c.trigger !== "unknown"} /> : null}
          {i.url ? (
            <a className="button" href={i.url} target="_blank" rel="noreferrer noopener">
              Open in {i.source} ↗
            </a>
          ) : null}
        </div>
      </div>

      {duplicateOf ? (
        <div className="alert alert--info">
          Duplicate of{" "}
          <Link href={`/incidents/${duplicateOf.id}`}>
            {duplicateOf.sourceId} — {duplicateOf.title}
          </Link>
          : only the original counts.
        </div>
      ) : null}
      {duplicates.length ? (
        <div className="alert alert--info">
          Also recorded as:{" "}
          {duplicates.map((d, k) => (
            <span key={d.id}>
              {k ? ", " : ""}
              <Link href={`/incidents/${d.id}`}>{d.sourceId}</Link>
            </span>
          ))}{" "}
          (duplicates, not counted).
        </div>
      ) : null}

      <IncidentEditor
        incidentId={i.id}
        source={{ severity: i.severity, startedAt: i.startedAt, resolvedAt: i.resolvedAt }}
        initial={c}
        settings={view.settings}
        policy={view.policy}
        asOf={view.asOf}
        timeBounds={view.timeBounds}
        canTag={can(actor.role, "tag")}
        projects={choices.projects}
        deploySystems={choices.deploySystems}
        suggestions={view.suggestions}
        windowMinutes={view.suggestionWindowMinutes}
      />

      {cause ? <CausingChangePanel incidentId={i.id} {...cause} canTag={can(actor.role, "tag")} timezone={tz} /> : null}

      <div className="grid grid--2">
        <section className="card" aria-labelledby="source-heading">
          <div className="card__header">
            <h2 id="source-heading">From the source tool</h2>
            <span className="muted small">Read-only: a re-import updates these</span>
          </div>
          <dl className={styles.sourceList}>
            <dt>Source</dt>
            <dd>
              {i.source} / <span className="mono">{i.sourceId}</span>
            </dd>
            <dt>Severity</dt>
            <dd>{i.severity}</dd>
            <dt>Status</dt>
            <dd>{i.status ?? "—"}</dd>
            <dt>Started</dt>
            <dd>{formatInstant(i.startedAt, tz)}</dd>
            <dt>Resolved</dt>
            <dd>{i.resolvedAt == null ? "Ongoing" : formatInstant(i.resolvedAt, tz)}</dd>
            <dt>Services</dt>
            <dd>{i.sourceServices.join(", ") || "—"}</dd>
            <dt>Link</dt>
            <dd>
              {i.url ? (
                <a href={i.url} target="_blank" rel="noreferrer noopener">
                  {i.url}
                </a>
              ) : (
                "—"
              )}
            </dd>
            {custom.map(([k, v]) => (
              <div key={k} style={{ display: "contents" }}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
            <dt>Linked deploy</dt>
            <dd>
              {linkedDeploy
                ? `${linkedDeploy.service} ${linkedDeploy.version ?? ""} via ${linkedDeploy.deploySystem ?? "?"}${linkedDeploy.externalId ? ` (${linkedDeploy.externalId})` : ""}, finished ${formatInstant(linkedDeploy.finishedAt, tz)}`
                : "—"}
            </dd>
          </dl>
          {i.description ? (
            <>
              <h3>Description</h3>
              <p className={styles.description}>{i.description}</p>
            </>
          ) : null}
        </section>
        <section className="card" aria-labelledby="history-heading">
          <div className="card__header">
            <h2 id="history-heading">History</h2>
          </div>
          <History rows={view.history} timezone={tz} />
        </section>
      </div>
    </div>
  );
}
