"use client";

import type { PreviewRow } from "@/lib/import/preview";
import styles from "../import.module.css";

/** The parsed rows with their errors inline; invalid rows are marked and listed first by row number. */
export function PreviewTable({ rows, total }: { rows: PreviewRow[]; total: number }) {
  if (!rows.length) return <p className="muted">No rows to preview.</p>;
  return (
    <div className={`table-wrap ${styles.previewWrap}`}>
      <table className="table" aria-label="Import preview">
        <caption>
          Showing {rows.length} of {total} rows{rows.length < total ? " (rows with errors first)" : ""}.
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">Row</th>
            <th scope="col">Id</th>
            <th scope="col">Title</th>
            <th scope="col">Severity</th>
            <th scope="col">Started</th>
            <th scope="col">Resolved</th>
            <th scope="col">Services</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.row} className={r.errors.length ? styles.errorRow : undefined} data-testid={r.errors.length ? "preview-row-error" : "preview-row"}>
              <td className="num">{r.row}</td>
              <td className="nowrap">{r.sourceId ?? <span className="muted">—</span>}</td>
              <td>{r.title ?? <span className="muted">—</span>}</td>
              <td>{r.severity ?? ""}</td>
              <td className="nowrap small">{r.startedAt?.replace(".000Z", "Z") ?? ""}</td>
              <td className="nowrap small">{r.resolvedAt?.replace(".000Z", "Z") ?? ""}</td>
              <td className="small">{r.services}</td>
              <td>
                {r.errors.length ? (
                  <ul className={styles.errorList}>
                    {r.errors.map((e, i) => (
                      <li key={i}>
                        <strong>{e.column}</strong>: {e.reason}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="badge badge--success">ok</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
