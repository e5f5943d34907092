import type { AuditRow } from "@/db/queries/audit";
import { displayValue, formatInstant } from "@/lib/incidents/format";
import { formatDelta, formatHours } from "@/lib/format/hours";
import { CURATED_FIELD_LABELS, type CuratedField } from "@/lib/validation/curation";
import styles from "./incident.module.css";

const ACTIONS: Record<string, string> = {
  "incident.update": "edited",
  "incident.triage": "triaged",
  "incident.bulk_update": "bulk-edited",
  "incident.review": "marked the tag reviewed",
  "incident.unreview": "withdrew the review",
  "incident.causes": "set the causing deploys",
  "incident.remediations": "set the remediation deploys",
};

/** Link changes list the deploys added and removed instead of a field table. */
const LINK_ACTIONS = new Set(["incident.causes", "incident.remediations"]);

function label(field: string): string {
  return CURATED_FIELD_LABELS[field as CuratedField] ?? field;
}

/** Who changed what and when, old → new, and which quarter figures moved. Newest first. */
export function History({ rows, timezone }: { rows: AuditRow[]; timezone: string }) {
  if (rows.length === 0) return <p className="muted">No changes yet. Edits, triage decisions and reviews will appear here.</p>;
  return (
    <ol className={styles.history} data-testid="history">
      {[...rows].reverse().map((r) => {
        const before = (r.before ?? {}) as Record<string, unknown>;
        const after = (r.after ?? {}) as Record<string, unknown>;
        const detail = (r.detail ?? {}) as {
          quarterDeltas?: { quarter: string; before: number; after: number; delta: number }[];
          reviewCleared?: boolean;
          acceptedSuggestion?: string[];
          added?: string[];
          removed?: string[];
        };
        const links = LINK_ACTIONS.has(r.action);
        const fields = links || r.action.startsWith("incident.review") || r.action === "incident.unreview" ? [] : Object.keys(after);
        return (
          <li key={r.id}>
            <div>
              <strong>{r.actorLabel}</strong> {ACTIONS[r.action] ?? r.action} <span className="muted small">{formatInstant(r.at, timezone)}</span>
            </div>
            {fields.length ? (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Old</th>
                    <th scope="col">New</th>
                  </tr>
                </thead>
                <tbody>
                  {fields.map((f) => (
                    <tr key={f}>
                      <td>{label(f)}</td>
                      <td>{displayValue(f as CuratedField, before[f], timezone)}</td>
                      <td>{displayValue(f as CuratedField, after[f], timezone)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            {detail.quarterDeltas?.length ? (
              <p className="small">
                Moved:{" "}
                {detail.quarterDeltas.map((d) => (
                  <span key={d.quarter} className="badge badge--info" title={`${formatHours(d.before)} → ${formatHours(d.after)}`}>
                    {d.quarter} {formatDelta(d.delta)}
                  </span>
                ))}
              </p>
            ) : fields.length ? (
              <p className="small muted">No quarter figure moved.</p>
            ) : null}
            {links ? (
              <p className="small">
                {detail.added?.length ? <>Added {detail.added.join(", ")}. </> : null}
                {detail.removed?.length ? <>Removed {detail.removed.join(", ")}. </> : null}
                {!detail.added?.length && !detail.removed?.length ? "None of the deploys." : null}
                {r.action === "incident.causes" && Array.isArray(after.deployIds) && after.deployIds.length === 0 ? " No causing deploy confirmed." : null}
              </p>
            ) : null}
            {detail.acceptedSuggestion?.length ? <p className="small muted">Accepted suggestion: {detail.acceptedSuggestion.join(" · ")}</p> : null}
            {detail.reviewCleared ? <p className="small muted">The tag changed, so its review was cleared.</p> : null}
          </li>
        );
      })}
    </ol>
  );
}
