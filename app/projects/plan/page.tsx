import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { computeTargetPlan, loadProjectContext } from "@/server/projects-impact";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { formatHours } from "@/lib/format/hours";
import { BASELINE_QUARTERS } from "@/lib/projects/plan";
import styles from "../projects.module.css";
import { ApplyTargetButton } from "../_components/apply-target-button";

export const metadata: Metadata = { title: "Target planning" };
export const dynamic = "force-dynamic";

export default async function PlanPage() {
  const actor = await requirePageRole("viewer");
  const db = getDb();
  const ctx = loadProjectContext(db);
  const plan = computeTargetPlan(db, ctx);
  const lead = can(actor.role, "editTargets");
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <p className="small">
            <Link href="/projects">Projects</Link> /
          </p>
          <h1>Target planning</h1>
          <p className="muted">
            What the coming quarters should look like if the projects deliver what they promise: the recent baseline, less the expected effect of each project whose lag window
            will have passed. A suggestion only; {lead ? "you decide whether to apply it." : "a program lead decides whether to apply it."}
          </p>
        </div>
      </div>

      {plan.message ? (
        <div className="empty-state card">
          <h2>No suggestion yet</h2>
          <p>{plan.message}</p>
          <p className="small">Import incidents (or wait for quarters to end), then come back.</p>
        </div>
      ) : (
        <>
          <section className="card" aria-labelledby="baseline-title">
            <div className="card__header">
              <h2 id="baseline-title">Baseline</h2>
              <span className="stat__value" data-testid="baseline">
                {formatHours(plan.baseline!.average)}
              </span>
            </div>
            <p className="small muted">
              The average of the last {plan.baseline!.quarters.length} complete quarters (up to {BASELINE_QUARTERS}):{" "}
              {plan.baseline!.quarters.map((q, i) => `${q} ${formatHours(plan.baseline!.hours[i])}`).join(", ")}. The quarter in progress is left out.
            </p>
          </section>
          <section className="card" aria-labelledby="suggest-title">
            <div className="card__header">
              <h2 id="suggest-title">Suggested targets</h2>
            </div>
            <div className="table-wrap">
              <table className="table" data-testid="suggestions">
                <thead>
                  <tr>
                    <th scope="col">Quarter</th>
                    <th scope="col" className="num">
                      Suggested
                    </th>
                    <th scope="col" className="num">
                      Current target
                    </th>
                    <th scope="col">Reasoning</th>
                    {lead ? (
                      <th scope="col">
                        <span className="sr-only">Apply</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {plan.suggestions.map((s) => {
                    const current = plan.current[s.quarter];
                    return (
                      <tr key={s.quarter} data-quarter={s.quarter}>
                        <th scope="row" className={styles.rowHead}>{s.quarter}</th>
                        <td className="num">
                          <strong>{formatHours(s.suggestedHours)}</strong>
                        </td>
                        <td className="num">{current == null ? <span className="muted">none</span> : formatHours(current)}</td>
                        <td>
                          <ul className={styles.reasoning}>
                            {s.reasoning.map((r) => (
                              <li key={r}>{r}</li>
                            ))}
                          </ul>
                        </td>
                        {lead ? (
                          <td>
                            {current === s.suggestedHours ? (
                              <span className="badge badge--success">Applied</span>
                            ) : (
                              <ApplyTargetButton quarter={s.quarter} hours={s.suggestedHours} reasoning={s.reasoning.join(" ")} />
                            )}
                          </td>
                        ) : null}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {plan.excluded.length ? (
              <p className="small muted">
                Not deducted anywhere: {plan.excluded.map((e) => `${e.name} (${e.reason})`).join(", ")}.
              </p>
            ) : null}
          </section>
        </>
      )}
    </div>
  );
}
