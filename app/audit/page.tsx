import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listAudit, listAuditActions } from "@/db/queries/audit";
import { auditChanges, type AuditChange } from "@/lib/audit/diff";
import { auditQueryString, parseAuditQuery, toAuditFilters, type AuditQuery } from "@/lib/audit/filters";
import { requirePageRole } from "@/server/auth/guards";
import styles from "./audit.module.css";

export const metadata: Metadata = { title: "Audit trail" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 100;

/** The changed fields as "field: old → new" lines (a creation shows the new values only). */
function Changes({ changes, label }: { changes: AuditChange[]; label: string }) {
  if (changes.length === 0) return null;
  return (
    <ul className={styles.changes} aria-label={label}>
      {changes.map((c) => (
        <li key={c.field}>
          {c.field ? <span className={styles.field}>{c.field}:</span> : null}{" "}
          {c.before != null && c.after != null ? (
            <>
              <del className={styles.before}>{c.before}</del>
              <span aria-hidden="true"> → </span>
              <span className="sr-only"> changed to </span>
              <ins className={styles.after}>{c.after}</ins>
            </>
          ) : c.after != null ? (
            <span className={styles.after}>{c.after}</span>
          ) : (
            <del className={styles.before}>{c.before}</del>
          )}
        </li>
      ))}
    </ul>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageRole("lead");
  const raw = await searchParams;
  const parsed = parseAuditQuery(raw);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0] ?? "form")] ??= i.message;
  const query: Partial<AuditQuery> = parsed.success ? parsed.data : {};
  const db = getDb();
  const rows = parsed.success ? listAudit(db, { ...toAuditFilters(parsed.data), limit: PAGE_SIZE + 1 }) : [];
  const more = rows.length > PAGE_SIZE;
  const page = rows.slice(0, PAGE_SIZE);
  const actions = listAuditActions(db);
  const { before: _before, ...filters } = query;
  void _before;
  const first = (k: string) => {
    const v = raw[k];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Audit trail</h1>
          <p className="muted">Sign-ins, token use and every change: who, when, what, old value to new.</p>
        </div>
        <div className="row">
          <a className="button" href={`/api/audit/export${auditQueryString(filters, { format: "csv" })}`} download>
            Export CSV
          </a>
          <a className="button" href={`/api/audit/export${auditQueryString(filters, { format: "json" })}`} download>
            Export JSON
          </a>
        </div>
      </div>
      <form className="card" method="get" role="search" aria-label="Filter the audit trail">
        <div className="form-grid">
          <div className="field">
            <label htmlFor="a-action">Action</label>
            <input id="a-action" name="action" type="text" list="a-actions" defaultValue={first("action")} aria-invalid={errors.action ? true : undefined} />
            <datalist id="a-actions">
              {actions.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
            <span className="hint">Exact, or a family ending in a dot: incident.</span>
          </div>
          <div className="field">
            <label htmlFor="a-actor">Actor</label>
            <input id="a-actor" name="actor" type="text" defaultValue={first("actor")} />
          </div>
          <div className="field">
            <label htmlFor="a-entity">Entity</label>
            <input id="a-entity" name="entity" type="text" defaultValue={first("entity")} placeholder="incident, policy, user…" />
          </div>
          <div className="field">
            <label htmlFor="a-entity-id">Entity id</label>
            <input id="a-entity-id" name="entityId" type="text" defaultValue={first("entityId")} />
          </div>
          <div className="field">
            <label htmlFor="a-from">From (UTC)</label>
            <input id="a-from" name="from" type="date" defaultValue={first("from")} aria-invalid={errors.from ? true : undefined} />
            {errors.from ? <span className="field-error">{errors.from}</span> : null}
          </div>
          <div className="field">
            <label htmlFor="a-to">To (UTC, inclusive)</label>
            <input id="a-to" name="to" type="date" defaultValue={first("to")} aria-invalid={errors.to ? true : undefined} />
            {errors.to ? <span className="field-error">{errors.to}</span> : null}
          </div>
        </div>
        <div className="row">
          <button type="submit" className="button button--primary">
            Filter
          </button>
          <Link href="/audit" className="button">
            Clear
          </Link>
        </div>
      </form>
      <section className="card" aria-label="Audit entries">
        {page.length === 0 ? (
          <p className="muted">No entries match.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">When (UTC)</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Entity</th>
                  <th scope="col">Change (before → after)</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {page.map((r) => (
                  <tr key={r.id}>
                    <td className="nowrap">{new Date(r.at).toISOString().replace("T", " ").slice(0, 19)}</td>
                    <td>{r.actorLabel}</td>
                    <td className="mono">{r.action}</td>
                    <td>{r.entityType ? `${r.entityType}${r.entityId ? ` ${r.entityId}` : ""}` : ""}</td>
                    <td className={`small ${styles.changeCell}`}>
                      <Changes changes={auditChanges(r.before, r.after)} label="Changed fields" />
                    </td>
                    <td className={`small ${styles.detailCell}`}>
                      <Changes changes={auditChanges(null, r.detail)} label="Detail" />
                      {r.ip ? <span className="muted">from {r.ip}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {more ? (
          <div className="row" style={{ marginTop: "0.75rem" }}>
            <Link className="button" href={`/audit${auditQueryString(filters, { before: page[page.length - 1].id })}`}>
              Older entries
            </Link>
          </div>
        ) : null}
      </section>
    </div>
  );
}
