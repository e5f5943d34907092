"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { IncidentListItem } from "@/db/queries/incidents";
import { formatHours, formatInstant, REASON_LABELS } from "@/lib/incidents/format";
import { CHANGE_TYPES } from "@/lib/validation/curation";
import { toSearchParams, type IncidentListQuery, type IncidentSort } from "@/lib/validation/incident-list";
import { acceptSuggestionsAction, bulkEditAction, bulkReviewAction } from "../actions";
import styles from "../incidents.module.css";

interface Props {
  items: IncidentListItem[];
  query: IncidentListQuery;
  timezone: string;
  canTag: boolean;
  canReview: boolean;
  projects: { slug: string; name: string }[];
  deploySystems: string[];
  changeTypes: string[];
}

function SortHeader({ query, sort, label, className }: { query: IncidentListQuery; sort: IncidentSort; label: string; className?: string }) {
  const active = query.sort === sort;
  const dir = active && query.dir === "desc" ? "asc" : "desc";
  const s = toSearchParams({ ...query, sort, dir, page: 1 }).toString();
  return (
    <th className={className} aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : undefined} scope="col">
      <Link className={styles.sortLink} href={s ? `/incidents?${s}` : "/incidents"}>
        {label} {active ? (query.dir === "asc" ? "▲" : "▼") : ""}
      </Link>
    </th>
  );
}

export function TriggerBadge({ trigger }: { trigger: string }) {
  if (trigger === "change") return <span className="badge badge--info">Change</span>;
  if (trigger === "other") return <span className="badge badge--neutral">Other</span>;
  return <span className="badge badge--warning">Untriaged</span>;
}

export function IncidentTable({ items, query, timezone, canTag, canReview, projects, deploySystems, changeTypes }: Props) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [bulk, setBulk] = useState({ trigger: "", changeType: "", deploySystem: "", analysisStatus: "", addProject: "" });

  const allOnPage = items.length > 0 && items.every((i) => selected.has(i.id));
  const toggleAll = () => setSelected(allOnPage ? new Set() : new Set(items.map((i) => i.id)));
  const toggle = (id: number) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  function run(fn: () => Promise<{ ok: boolean; message: string; errors?: Record<string, string[]> }>) {
    startTransition(async () => {
      const res = await fn();
      const detail = res.errors ? ` ${Object.entries(res.errors).map(([f, m]) => `${f}: ${m.join(", ")}`).join("; ")}` : "";
      setMessage({ ok: res.ok, text: res.message + detail });
      if (res.ok) {
        setSelected(new Set());
        setBulk({ trigger: "", changeType: "", deploySystem: "", analysisStatus: "", addProject: "" });
        router.refresh();
      }
    });
  }

  const applyBulk = () => {
    const input: Record<string, unknown> = { ids: [...selected] };
    for (const [k, v] of Object.entries(bulk)) if (v) input[k] = v;
    run(() => bulkEditAction(input));
  };

  const changeTypeOptions = [...new Set([...CHANGE_TYPES, ...changeTypes])];
  const nothingChosen = Object.values(bulk).every((v) => !v);

  return (
    <>
      {message ? (
        <div className={`alert ${message.ok ? "alert--success" : "alert--error"}`} role={message.ok ? "status" : "alert"}>
          {message.text}
        </div>
      ) : null}
      {canTag && selected.size > 0 ? (
        <div className={styles.bulkBar} role="region" aria-label="Bulk edit">
          <strong>{selected.size} selected</strong>
          <div className="field">
            <label htmlFor="bulk-trigger">Trigger</label>
            <select id="bulk-trigger" value={bulk.trigger} onChange={(e) => setBulk({ ...bulk, trigger: e.target.value })}>
              <option value="">Leave</option>
              <option value="change">Change-triggered</option>
              <option value="other">Not change-triggered</option>
              <option value="unknown">Untriaged</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="bulk-changeType">Change type</label>
            <select id="bulk-changeType" value={bulk.changeType} onChange={(e) => setBulk({ ...bulk, changeType: e.target.value })}>
              <option value="">Leave</option>
              {changeTypeOptions.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="bulk-deploySystem">Deploy system</label>
            <select id="bulk-deploySystem" value={bulk.deploySystem} onChange={(e) => setBulk({ ...bulk, deploySystem: e.target.value })}>
              <option value="">Leave</option>
              {deploySystems.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="bulk-analysis">Analysis</label>
            <select id="bulk-analysis" value={bulk.analysisStatus} onChange={(e) => setBulk({ ...bulk, analysisStatus: e.target.value })}>
              <option value="">Leave</option>
              <option value="pending">Pending</option>
              <option value="final">Final</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="bulk-project">Add project</label>
            <select id="bulk-project" value={bulk.addProject} onChange={(e) => setBulk({ ...bulk, addProject: e.target.value })}>
              <option value="">None</option>
              {projects.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="button button--primary" disabled={pending || nothingChosen} onClick={applyBulk}>
            {pending ? "Saving…" : `Apply to ${selected.size}`}
          </button>
          <button type="button" className="button" disabled={pending} onClick={() => run(() => acceptSuggestionsAction([...selected]))}>
            Accept suggestions
          </button>
          {canReview ? (
            <button type="button" className="button" disabled={pending} onClick={() => run(() => bulkReviewAction([...selected]))}>
              Mark reviewed
            </button>
          ) : null}
          <button type="button" className="link-button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="table">
          <caption className="sr-only">Incidents</caption>
          <thead>
            <tr>
              {canTag ? (
                <th className={styles.checkCell} scope="col">
                  <input type="checkbox" aria-label="Select all on this page" checked={allOnPage} onChange={toggleAll} />
                </th>
              ) : null}
              <SortHeader query={query} sort="sourceId" label="Id" />
              <SortHeader query={query} sort="title" label="Title" />
              <SortHeader query={query} sort="severity" label="Severity" />
              <SortHeader query={query} sort="started" label="Started" />
              <SortHeader query={query} sort="duration" label="Hours" className="num" />
              <th scope="col">Trigger</th>
              <th scope="col">Counts</th>
              <th scope="col">Services</th>
              <th scope="col">Change / system</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} aria-selected={selected.has(i.id) || undefined}>
                {canTag ? (
                  <td className={styles.checkCell}>
                    <input type="checkbox" aria-label={`Select ${i.sourceId}`} checked={selected.has(i.id)} onChange={() => toggle(i.id)} />
                  </td>
                ) : null}
                <td className="nowrap mono small">{i.sourceId}</td>
                <td className={styles.titleCell}>
                  <Link href={`/incidents/${i.id}`}>{i.title}</Link>
                  {i.projects.length ? (
                    <div className={styles.tags}>
                      {i.projects.map((p) => (
                        <span key={p} className="badge badge--neutral">
                          {p}
                        </span>
                      ))}
                    </div>
                  ) : null}
                </td>
                <td className="nowrap">{i.severity}</td>
                <td className="nowrap small">{formatInstant(i.startedAt, timezone)}</td>
                <td className="num">{formatHours(i.durationHours)}</td>
                <td>
                  <TriggerBadge trigger={i.trigger} />
                </td>
                <td>
                  {i.counted ? <span className="badge badge--danger">Counts</span> : <span className="muted small">{REASON_LABELS[i.reason] ?? i.reason}</span>}
                  {i.override ? <div className="small muted">override: {i.override}</div> : null}
                </td>
                <td className="small">{i.services.join(", ") || <span className="muted">—</span>}</td>
                <td className="small">
                  {i.changeType ?? <span className="muted">—</span>}
                  {i.deploySystem ? <div className="muted">{i.deploySystem}</div> : null}
                </td>
                <td className="small">
                  {i.analysisStatus === "pending" ? <span className="badge badge--warning">Analysis pending</span> : <span className="badge badge--neutral">Final</span>}{" "}
                  {i.trigger !== "unknown" ? (
                    i.reviewedAt ? (
                      <span className="badge badge--success" title={`Reviewed by ${i.reviewedBy ?? "?"}`}>
                        Reviewed
                      </span>
                    ) : (
                      <span className="badge badge--neutral">Unreviewed</span>
                    )
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
