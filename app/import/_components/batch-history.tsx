"use client";

import { useState, useTransition } from "react";
import { undoBatchAction } from "../actions";
import styles from "../import.module.css";

export interface BatchView {
  id: number;
  source: string;
  format: string;
  fileName: string | null;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  status: "applied" | "undone";
  createdAt: string;
  createdBy: string | null;
  undoneAt: string | null;
  undoneBy: string | null;
  /** A later batch changed the same incidents: undo that one first. */
  blocked: boolean;
}

const when = (iso: string) => iso.replace("T", " ").slice(0, 16) + " UTC";

export function BatchHistory({ batches }: { batches: BatchView[] }) {
  const [confirming, setConfirming] = useState<number | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();

  return (
    <section className="card" aria-labelledby="batch-history-title">
      <div className="card__header">
        <h2 id="batch-history-title">Import history</h2>
      </div>
      {message ? (
        <p role="status" className={message.ok ? "alert alert--success" : "alert alert--error"}>
          {message.text}
        </p>
      ) : null}
      {batches.length === 0 ? (
        <div className="empty-state">
          <h3>No imports yet</h3>
          <p>Batches you import appear here, and each can be undone.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="batch-history">
            <thead>
              <tr>
                <th scope="col" className="num">Batch</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">File</th>
                <th scope="col">Source</th>
                <th scope="col" className="num">Created</th>
                <th scope="col" className="num">Updated</th>
                <th scope="col" className="num">Unchanged</th>
                <th scope="col" className="num">Rejected</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id} data-testid={`batch-${b.id}`}>
                  <td className="num">{b.id}</td>
                  <td className="nowrap small">{when(b.createdAt)}</td>
                  <td className="small">{b.createdBy ?? "—"}</td>
                  <td className="small">{b.fileName ?? "—"}</td>
                  <td className="small">
                    {b.source} <span className="muted">({b.format})</span>
                  </td>
                  <td className="num">{b.created}</td>
                  <td className="num">{b.updated}</td>
                  <td className="num">{b.unchanged}</td>
                  <td className="num">{b.rejected}</td>
                  <td>
                    {b.status === "undone" ? (
                      <span className="badge badge--neutral" title={b.undoneAt ? `by ${b.undoneBy ?? "?"} at ${when(b.undoneAt)}` : undefined}>
                        undone
                      </span>
                    ) : confirming === b.id ? (
                      <div className={styles.confirm} role="group" aria-label={`Confirm undo of batch ${b.id}`}>
                        <span className="small">
                          Delete the {b.created} incident(s) it created{b.updated ? ` and restore the ${b.updated} it updated` : ""}?
                        </span>
                        <button
                          type="button"
                          className="button button--danger button--small"
                          disabled={pending}
                          autoFocus
                          onClick={() =>
                            start(async () => {
                              const r = await undoBatchAction({ batchId: b.id });
                              setMessage({ ok: r.ok, text: r.message });
                              setConfirming(null);
                            })
                          }
                        >
                          {pending ? "Undoing…" : "Yes, undo"}
                        </button>
                        <button type="button" className="button button--small" onClick={() => setConfirming(null)} disabled={pending}>
                          Cancel
                        </button>
                      </div>
                    ) : (
                      <span className="row">
                        <span className="badge badge--success">applied</span>
                        <button
                          type="button"
                          className="button button--small"
                          disabled={b.blocked}
                          title={b.blocked ? "A later import changed the same incidents; undo it first." : undefined}
                          onClick={() => {
                            setMessage(null);
                            setConfirming(b.id);
                          }}
                        >
                          Undo
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
