"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { markFilteredAction, undoBulkMarkAction } from "../actions";
import styles from "../incidents.module.css";

/**
 * "Already analysed" for a whole filtered set (an imported archive, a past year), not just
 * a selection: marks every incident the list's filter matches, then offers to undo.
 */
export function MarkFiltered({ search, total, filtered }: { search: string; total: number; filtered: boolean }) {
  const id = useId();
  const router = useRouter();
  const [analysed, setAnalysed] = useState(true);
  const [trigger, setTrigger] = useState<"" | "other" | "unknown">("");
  const [confirming, setConfirming] = useState(false);
  const [pending, start] = useTransition();
  const [result, setResult] = useState<{ ok: boolean; text: string; markId?: string } | null>(null);
  const nothing = !analysed && !trigger;
  const scope = filtered ? `all ${total.toLocaleString("en-US")} incidents matching these filters` : `all ${total.toLocaleString("en-US")} incidents`;

  const apply = () =>
    start(async () => {
      const r = await markFilteredAction(search, { analysisStatus: analysed ? "final" : undefined, trigger: trigger || undefined });
      setConfirming(false);
      setResult(r.ok ? { ok: true, text: r.message, markId: r.data.markId } : { ok: false, text: r.message });
      if (r.ok) router.refresh();
    });
  const undo = (markId: string) =>
    start(async () => {
      const r = await undoBulkMarkAction(markId);
      setResult({ ok: r.ok, text: r.message });
      if (r.ok) router.refresh();
    });

  return (
    <details className="card" data-testid="mark-filtered">
      <summary>
        <strong>Mark {scope}</strong> <span className="muted small">(e.g. an archive that is already analysed)</span>
      </summary>
      <div className={`row ${styles.markRow}`}>
        <label>
          <input type="checkbox" checked={analysed} onChange={(e) => setAnalysed(e.target.checked)} /> Analysis complete
        </label>
        <label htmlFor={`${id}-trigger`}>Triage as</label>
        <select id={`${id}-trigger`} value={trigger} onChange={(e) => setTrigger(e.target.value as "" | "other" | "unknown")}>
          <option value="">leave as it is</option>
          <option value="other">not change-triggered</option>
          <option value="unknown">unknown</option>
        </select>
        {confirming ? (
          <>
            <span className="small">
              This changes {scope}. Each change is in the audit trail and can be undone.
            </span>
            <button type="button" className="button button--primary" disabled={pending || nothing} onClick={apply}>
              {pending ? "Marking…" : `Yes, mark ${total.toLocaleString("en-US")}`}
            </button>
            <button type="button" className="link-button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="button" disabled={pending || nothing || total === 0} onClick={() => setConfirming(true)}>
            Mark {total.toLocaleString("en-US")}…
          </button>
        )}
      </div>
      <div role="status" aria-live="polite">
        {result ? (
          <div className={`alert ${result.ok ? "alert--success" : "alert--error"}`} data-testid="mark-result">
            {result.text}{" "}
            {result.markId ? (
              <button type="button" className="link-button" disabled={pending} onClick={() => undo(result.markId!)}>
                Undo
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </details>
  );
}
