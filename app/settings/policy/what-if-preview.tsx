"use client";

import Link from "next/link";
import type { WhatIfPreview } from "@/server/dashboard/data";
import { REASON_LABELS } from "@/lib/metric/labels";
import { formatHours } from "@/lib/format/hours";
import styles from "../settings.module.css";

function Delta({ value }: { value: number }) {
  if (Math.abs(value) < 1e-9) return <span className="muted">0</span>;
  return (
    <span className={`${styles.delta} ${value > 0 ? styles.up : styles.down}`}>
      {value > 0 ? "+" : "−"}
      {formatHours(Math.abs(value), false)}
    </span>
  );
}

/** Current vs draft per quarter, the incidents whose counting changes, and blip sensitivity. */
export function WhatIfPreviewPanel({ preview, draftMinutes, currentMinutes, changed }: { preview: WhatIfPreview; draftMinutes: number | null; currentMinutes: number | null; changed: boolean }) {
  const quarters = preview.quarters.filter((q) => q.current.status !== "future");
  const total = preview.changes.length + preview.moreChanges;
  return (
    <div data-testid="whatif">
      <div className="table-wrap">
        <table className="table" data-testid="whatif-table">
          <caption>{changed ? "Hours per quarter under the current policy and under your draft." : "Hours per quarter under the current policy. Edit the draft to compare."}</caption>
          <thead>
            <tr>
              <th scope="col">Quarter</th>
              <th scope="col" className="num">
                Current
              </th>
              <th scope="col" className="num">
                Draft
              </th>
              <th scope="col" className="num">
                Change
              </th>
              <th scope="col" className="num">
                Counted (now → draft)
              </th>
            </tr>
          </thead>
          <tbody>
            {quarters.map((q) => (
              <tr key={q.quarter} data-quarter={q.quarter} data-current={q.current.hours} data-draft={q.draft.hours}>
                <th scope="row">{q.quarter}</th>
                <td className="num">{formatHours(q.current.hours, false)}</td>
                <td className="num">{formatHours(q.draft.hours, false)}</td>
                <td className="num">
                  <Delta value={q.deltaHours} />
                </td>
                <td className="num">
                  {q.current.counted} → {q.draft.counted}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3 style={{ marginTop: "1rem" }}>Incidents whose counting changes ({total})</h3>
      {total === 0 ? (
        <p className="muted small" data-testid="whatif-nochanges">
          No incident changes verdict under the draft.
        </p>
      ) : (
        <div className="table-wrap" style={{ maxHeight: 320, overflowY: "auto" }}>
          <table className="table" data-testid="whatif-changes">
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Now</th>
                <th scope="col">Draft</th>
                <th scope="col" className="num">
                  Hours
                </th>
              </tr>
            </thead>
            <tbody>
              {preview.changes.map((c) => {
                const s = preview.summaries[c.id];
                const before = c.before.contributions.reduce((a, x) => a + x.hours, 0);
                const after = c.after.contributions.reduce((a, x) => a + x.hours, 0);
                return (
                  <tr key={c.id}>
                    <td>
                      <Link href={`/incidents/${c.id}`}>{s ? s.sourceId : `#${c.id}`}</Link>
                      {s ? <div className="small muted">{s.title}</div> : null}
                    </td>
                    <td className="small">
                      {c.before.counted ? "Counts" : "Doesn't count"}: {REASON_LABELS[c.before.reason]}
                    </td>
                    <td className="small">
                      {c.after.counted ? "Counts" : "Doesn't count"}: {REASON_LABELS[c.after.reason]}
                    </td>
                    <td className="num">
                      <Delta value={after - before} />
                    </td>
                  </tr>
                );
              })}
              {preview.moreChanges ? (
                <tr>
                  <td colSpan={4} className="muted">
                    …and {preview.moreChanges} more.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}

      <h3 style={{ marginTop: "1rem" }}>Blip-threshold sensitivity</h3>
      <p className="small muted">
        Hours per quarter if the medium rule&apos;s minimum duration were each of these (everything else as in the {changed ? "draft" : "current policy"}). Highlighted:
        the {changed ? "draft's" : "current"} threshold.
      </p>
      <div className="table-wrap">
        <table className="table" data-testid="blip-table">
          <thead>
            <tr>
              <th scope="col">Quarter</th>
              {preview.draftBlip[0]?.points.map((p) => (
                <th key={p.minDurationMinutes} scope="col" className={`num ${p.minDurationMinutes === draftMinutes ? styles.current : ""}`}>
                  ≥ {p.minDurationMinutes} min
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.draftBlip
              .filter((b) => quarters.some((q) => q.quarter === b.quarter))
              .map((b) => (
                <tr key={b.quarter}>
                  <th scope="row">{b.quarter}</th>
                  {b.points.map((p) => (
                    <td key={p.minDurationMinutes} className={`num ${p.minDurationMinutes === draftMinutes ? styles.current : ""}`}>
                      {formatHours(p.hours, false)}
                    </td>
                  ))}
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      {currentMinutes !== draftMinutes ? <p className="small muted">The current policy uses {currentMinutes == null ? "no duration condition" : `${currentMinutes} min`}.</p> : null}
    </div>
  );
}
