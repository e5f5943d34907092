"use client";

import type { Explanation } from "@/lib/incidents/explain";
import { formatDelta, formatHours } from "@/lib/format/hours";

/** "Why it counts": the verdict, the sentence, and hours per quarter, with the change since the last save. */
export function WhyPanel({ now, saved, dirty }: { now: Explanation; saved: Explanation; dirty: boolean }) {
  const quarters = [...new Set([...saved.quarters.map((q) => q.quarter), ...now.quarters.map((q) => q.quarter)])].sort();
  const hoursIn = (e: Explanation, q: string) => e.quarters.find((x) => x.quarter === q)?.hours ?? 0;
  const total = now.quarters.reduce((s, q) => s + q.hours, 0);
  return (
    <section className="card" aria-labelledby="why-heading" aria-live="polite" data-testid="why-panel">
      <div className="card__header">
        <h2 id="why-heading">Why it counts</h2>
        {now.counted ? <span className="badge badge--danger">Counts</span> : <span className="badge badge--neutral">Does not count</span>}
      </div>
      {dirty ? <p className="small alert alert--info">Preview with your unsaved changes. Save to apply them.</p> : null}
      <p data-testid="why-sentence">{now.sentence}</p>
      <p className="small muted">
        Impact window {formatHours(now.durationHours)}
        {now.ongoing ? " (ongoing: measured to now)" : ""}; severity class {now.severityClass}.
        {now.invalidWindow ? " The window ends before it starts, so it adds nothing." : ""}
      </p>
      {quarters.length ? (
        <table className="table">
          <caption>Hours this incident adds to each quarter</caption>
          <thead>
            <tr>
              <th scope="col">Quarter</th>
              <th scope="col" className="num">
                {dirty ? "Saved" : "Hours"}
              </th>
              {dirty ? (
                <>
                  <th scope="col" className="num">
                    With changes
                  </th>
                  <th scope="col" className="num">
                    Change
                  </th>
                </>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {quarters.map((q) => {
              const a = hoursIn(saved, q);
              const b = hoursIn(now, q);
              return (
                <tr key={q}>
                  <td>{q}</td>
                  <td className="num">{formatHours(dirty ? a : b)}</td>
                  {dirty ? (
                    <>
                      <td className="num">{formatHours(b)}</td>
                      <td className="num">{Math.abs(b - a) > 1e-9 ? <strong>{formatDelta(b - a)}</strong> : <span className="muted">—</span>}</td>
                    </>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="muted small">It adds no hours to any quarter{dirty && saved.quarters.length ? " with your changes" : ""}.</p>
      )}
      {now.counted && quarters.length > 1 ? <p className="small muted">Total {formatHours(total)} across quarters.</p> : null}
      {now.ifChangeTriggered ? (
        <p className="small">
          If tagged change-triggered:{" "}
          {now.ifChangeTriggered.counted
            ? `it would count, adding ${now.ifChangeTriggered.quarters.map((q) => `${formatHours(q.hours)} to ${q.quarter}`).join(", ")}.`
            : "it still would not count under the severity rules."}
        </p>
      ) : null}
      {now.unionMode ? <p className="small muted">The policy counts overlapping incidents once (union), so a quarter’s figure may move by less than this.</p> : null}
    </section>
  );
}
