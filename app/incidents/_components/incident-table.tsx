"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";
import type { IncidentListItem } from "@/db/queries/incidents";
import { formatInstant } from "@/lib/incidents/format";
import { REASON_LABELS } from "@/lib/metric/labels";
import { formatHours } from "@/lib/format/hours";
import { fieldErrorsOf, type ActionResult } from "@/lib/actions/result";
import { CHANGE_TYPES } from "@/lib/validation/curation";
import { toSearchParams, type IncidentListQuery, type IncidentSort } from "@/lib/validation/incident-list";
import { acceptSuggestionsAction, bulkEditAction, bulkReviewAction } from "../actions";
import { bulkLinkCauseAction } from "../[id]/causing-change-actions";
import { BulkOutcome, type BulkOutcomeState } from "./bulk-outcome";
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
  /** Shown instead of the table when no row matches (the bulk edit's outcome stays above it). */
  empty?: ReactNode;
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

export function IncidentTable({ items, query, timezone, canTag, canReview, projects, deploySystems, changeTypes, empty }: Props) {
  const router = useRouter();
  // Selected id → the curation version the row showed when selected (a row on another page keeps it).
  const [selected, setSelected] = useState<Map<number, number>>(new Map());
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [outcome, setOutcome] = useState<BulkOutcomeState | null>(null);
  const [pending, startTransition] = useTransition();
  const [reloading, startReload] = useTransition();
  const [bulk, setBulk] = useState({ trigger: "", changeType: "", deploySystem: "", analysisStatus: "", addProject: "" });

  // The outcome belongs to the list it happened on: following a filter or its own link hides it.
  const search = toSearchParams(query).toString();
  const shownOutcome = outcome && outcome.search === search ? outcome : null;

  const [causeDeploy, setCauseDeploy] = useState("");
  const allOnPage = items.length > 0 && items.every((i) => selected.has(i.id));
  const toggleAll = () => setSelected(allOnPage ? new Map() : new Map(items.map((i) => [i.id, i.version])));
  const toggle = (id: number, version: number) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(id)) next.delete(id);
      else next.set(id, version);
      return next;
    });

  function run(fn: () => Promise<ActionResult<unknown>>) {
    setOutcome(null);
    startTransition(async () => {
      const res = await fn();
      setMessage({ ok: res.ok, text: res.message + errorDetail(res) });
      if (res.ok) {
        setSelected(new Map());
        setBulk({ trigger: "", changeType: "", deploySystem: "", analysisStatus: "", addProject: "" });
        setCauseDeploy("");
        router.refresh();
      }
    });
  }

  const applyBulk = () => {
    // The versions the user is looking at: the row as shown now, else as it was when selected.
    const shown = new Map(items.map((i) => [i.id, i.version]));
    const versions = Object.fromEntries([...selected].map(([id, v]) => [String(id), shown.get(id) ?? v]));
    const input: Record<string, unknown> = { ids: [...selected.keys()], versions };
    for (const [k, v] of Object.entries(bulk)) if (v) input[k] = v;
    setMessage(null);
    setOutcome(null);
    startTransition(async () => {
      const res = await bulkEditAction(input, search);
      if (res.ok) {
        setOutcome({ kind: "applied", search, message: res.message, ids: res.data.ids, leftFilter: res.data.leftFilter });
        setSelected(new Map());
        setBulk({ trigger: "", changeType: "", deploySystem: "", analysisStatus: "", addProject: "" });
        router.refresh();
      } else if (res.detail?.bulkConflicts) {
        setOutcome({ kind: "conflict", search, message: res.message, conflicts: res.detail.bulkConflicts });
      } else {
        setMessage({ ok: false, text: res.message + errorDetail(res) });
      }
    });
  };

  // One transition: the conflict panel goes when the fresh rows (and their versions) arrive, not before.
  const reload = () =>
    startReload(() => {
      setOutcome(null);
      router.refresh();
    });

  const changeTypeOptions = [...new Set([...CHANGE_TYPES, ...changeTypes])];
  const nothingChosen = Object.values(bulk).every((v) => !v);

  return (
    <>
      <BulkOutcome outcome={shownOutcome} reloading={reloading} onReload={reload} onDismiss={() => setOutcome(null)} />
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
          <button type="button" className="button button--primary" disabled={pending || reloading || nothingChosen} onClick={applyBulk}>
            {pending ? "Saving…" : `Apply to ${selected.size}`}
          </button>
          <button type="button" className="button" disabled={pending} onClick={() => run(() => acceptSuggestionsAction([...selected.keys()]))}>
            Accept suggestions
          </button>
          <div className="field">
            <label htmlFor="bulk-cause">Caused by deploy</label>
            <input id="bulk-cause" type="text" placeholder="Deploy id or external id" value={causeDeploy} onChange={(e) => setCauseDeploy(e.target.value)} />
          </div>
          <button
            type="button"
            className="button"
            disabled={pending || !causeDeploy.trim()}
            onClick={() => run(() => bulkLinkCauseAction({ ids: [...selected.keys()], deploy: causeDeploy }))}
          >
            Link cause
          </button>
          {canReview ? (
            <button type="button" className="button" disabled={pending} onClick={() => run(() => bulkReviewAction([...selected.keys()]))}>
              Mark reviewed
            </button>
          ) : null}
          <button type="button" className="link-button" onClick={() => setSelected(new Map())}>
            Clear selection
          </button>
        </div>
      ) : null}
      {items.length === 0 && empty ? (
        empty
      ) : (
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
                      <input type="checkbox" aria-label={`Select ${i.sourceId}`} checked={selected.has(i.id)} onChange={() => toggle(i.id, i.version)} />
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
      )}
    </>
  );
}

/** Every field's errors of a refused action, appended to its message. */
function errorDetail(res: ActionResult<unknown, unknown>): string {
  const errors = Object.entries(fieldErrorsOf(res));
  return errors.length ? ` ${errors.map(([f, m]) => `${f}: ${m.join(", ")}`).join("; ")}` : "";
}
