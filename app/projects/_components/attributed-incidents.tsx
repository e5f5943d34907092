"use client";

import Link from "next/link";
import { useActionState } from "react";
import { detachIncidentAction } from "../actions";
import styles from "../projects.module.css";

export interface AttributedRow {
  id: number;
  title: string;
  severity: string;
  source: string;
  sourceId: string;
  started: string;
  attributedBy: string | null;
  inScope: boolean;
  counted: boolean;
}

function DetachButton({ slug, row }: { slug: string; row: AttributedRow }) {
  const [state, action, pending] = useActionState(detachIncidentAction, null);
  return (
    <form action={action}>
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="incidentId" value={row.id} />
      <button type="submit" className="button button--small" disabled={pending} aria-label={`Remove attribution of ${row.sourceId}`}>
        {pending ? "Removing…" : "Remove"}
      </button>
      {state?.message && !state?.ok ? (
        <span className="field-error" role="alert">
          {state?.message}
        </span>
      ) : null}
    </form>
  );
}

/** Incidents an engineer linked to the project ("this would have prevented or shortened it"). */
export function AttributedIncidents({ slug, rows, canEdit }: { slug: string; rows: AttributedRow[]; canEdit: boolean }) {
  if (!rows.length) {
    return (
      <p className="muted" data-testid="no-attributions">
        No incident is explicitly attributed yet. Open an incident and choose this project in its Projects field, or select several on the Incidents page and attribute them in
        bulk.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid="attributed-incidents">
        <thead>
          <tr>
            <th scope="col">Incident</th>
            <th scope="col">Severity</th>
            <th scope="col">Started</th>
            <th scope="col">In scope</th>
            <th scope="col">Attributed by</th>
            {canEdit ? (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row" className={styles.rowHead}>
                <Link href={`/incidents/${r.id}`}>{r.title}</Link>
                <div className="muted small">
                  {r.source} {r.sourceId}
                  {r.counted ? "" : " · not counted"}
                </div>
              </th>
              <td>{r.severity}</td>
              <td className="nowrap small">{r.started}</td>
              <td>{r.inScope ? <span className="badge badge--success">Yes</span> : <span className="badge badge--neutral">No</span>}</td>
              <td className="small">{r.attributedBy ?? "—"}</td>
              {canEdit ? (
                <td>
                  <DetachButton slug={slug} row={r} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
