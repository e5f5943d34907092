import type { Metadata } from "next";
import { getDb, type Db } from "@/db/client";
import { getSettings, getTargets, targetHistory, type TargetHistoryRow } from "@/db/queries/config";
import { computeMetrics } from "@/server/metrics";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { formatHours } from "@/lib/format/hours";
import { STATUS_LABELS } from "@/lib/metric/labels";
import { quarterForInstant, quarterIdFromOrdinal, quarterOrdinal } from "@/lib/metric/calendar";
import { TargetForm } from "./target-form";

export const metadata: Metadata = { title: "Targets" };
export const dynamic = "force-dynamic";

const when = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function HistoryList({ rows }: { rows: TargetHistoryRow[] }) {
  return (
    <ol className="small" style={{ margin: "0.25rem 0 0", paddingLeft: "1.1rem" }}>
      {rows.map((r) => (
        <li key={r.id}>
          {r.hours == null ? "cleared" : formatHours(r.hours)} on {when(r.createdAt)} by {r.createdBy ?? "unknown"}
          {r.note ? <>: “{r.note}”</> : null}
        </li>
      ))}
    </ol>
  );
}

/** Quarters to list (every quarter with data or a target, plus the next four), newest first. */
function targetsView(db: Db) {
  const now = Date.now();
  const settings = getSettings(db);
  const targets = getTargets(db);
  const history = targetHistory(db);
  const metrics = computeMetrics(db, { asOf: now });
  const byQuarter = new Map<string, TargetHistoryRow[]>();
  for (const h of history) byQuarter.set(h.quarter, [...(byQuarter.get(h.quarter) ?? []), h]);
  // Every quarter with data or a target, plus the next four so targets can be set ahead.
  const current = quarterOrdinal(quarterForInstant(now, settings).id);
  const ordinals = [...metrics.quarters.map((q) => quarterOrdinal(q.quarter)), ...[...byQuarter.keys()].map(quarterOrdinal), current + 4];
  const lo = Math.min(...ordinals);
  const hi = Math.max(...ordinals);
  const ids: string[] = [];
  for (let o = hi; o >= lo; o--) ids.push(quarterIdFromOrdinal(o));
  const figures = new Map(metrics.quarters.map((q) => [q.quarter, q]));
  return { targets, byQuarter, current, ids, figures };
}

export default async function TargetsPage() {
  const actor = await requirePageRole("viewer");
  const db = getDb();
  const { targets, byQuarter, current, ids, figures } = targetsView(db);
  const canEdit = can(actor.role, "editTargets");
  return (
    <div className="stack">
      {canEdit ? (
        <section className="card" aria-labelledby="set-title">
          <h2 id="set-title">Set a target</h2>
          <TargetForm quarters={ids} targets={targets} defaultQuarter={quarterIdFromOrdinal(current)} />
        </section>
      ) : (
        <p className="muted">A program lead can set targets.</p>
      )}
      <section className="card" aria-labelledby="targets-title">
        <h2 id="targets-title">Targets by quarter</h2>
        <p className="small muted">Every change is kept: lowering a target keeps the old value and the reason given.</p>
        <div className="table-wrap">
          <table className="table" data-testid="targets-table">
            <thead>
              <tr>
                <th scope="col">Quarter</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Hours
                </th>
                <th scope="col" className="num">
                  Target
                </th>
                <th scope="col">History</th>
              </tr>
            </thead>
            <tbody>
              {ids.map((id) => {
                const f = figures.get(id);
                const h = byQuarter.get(id) ?? [];
                return (
                  <tr key={id} data-quarter={id}>
                    <th scope="row">{id}</th>
                    <td>{f ? STATUS_LABELS[f.status] : quarterOrdinal(id) > current ? "Future" : "—"}</td>
                    <td className="num">{f ? formatHours(f.hours) : "—"}</td>
                    <td className="num" data-target={targets[id] ?? ""}>
                      {targets[id] == null ? <span className="muted">none</span> : formatHours(targets[id])}
                    </td>
                    <td>
                      {h.length === 0 ? (
                        <span className="muted small">never set</span>
                      ) : h.length === 1 ? (
                        <HistoryList rows={h} />
                      ) : (
                        <details>
                          <summary className="small">{h.length} changes; latest: {h[0].note ?? "no note"}</summary>
                          <HistoryList rows={h} />
                        </details>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
