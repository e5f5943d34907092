"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { formatInstant } from "@/lib/incidents/format";
import type { DeployLinkKind } from "@/lib/metric/dora";
import type { DeployLike } from "@/lib/suggestions/deploys";
import type { CausingChangeView } from "@/server/causing-change";
import { setDeployLinksAction } from "./causing-change-actions";
import styles from "./incident.module.css";

/** The panel's data (server/causing-change.ts) plus who is looking. */
export type CausingChangeProps = CausingChangeView & {
  incidentId: number;
  canTag: boolean;
  timezone: string;
};

function deployName(d: DeployLike): string {
  return `${d.service}${d.version ? ` ${d.version}` : ""}${d.externalId ? ` (${d.externalId})` : ""}`;
}

interface Row {
  deploy: DeployLike;
  evidence: string[];
}

/** One list of deploys to tick, saved as the whole set of one kind of link. */
function LinkList({
  incidentId,
  kind,
  rows,
  confirmed,
  canTag,
  timezone,
  legend,
  saveLabel,
  extra,
}: {
  incidentId: number;
  kind: DeployLinkKind;
  rows: Row[];
  confirmed: DeployLike[];
  canTag: boolean;
  timezone: string;
  legend: string;
  saveLabel: string;
  extra?: (save: (ids: number[]) => void, pending: boolean) => React.ReactNode;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [selected, setSelected] = useState<Set<number>>(() => new Set(confirmed.map((d) => d.id)));
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  // A confirmed deploy outside today's window (the window or the services changed) still shows.
  const shown: Row[] = [...rows, ...confirmed.filter((d) => !rows.some((r) => r.deploy.id === d.id)).map((deploy) => ({ deploy, evidence: ["confirmed earlier; outside the current window"] }))];
  const save = (ids: number[]) =>
    start(async () => {
      const res = await setDeployLinksAction(incidentId, kind, ids);
      setResult({ ok: res.ok, message: res.message });
      if (res.ok) {
        setSelected(new Set(ids));
        router.refresh();
      }
    });
  const unchanged = selected.size === confirmed.length && confirmed.every((d) => selected.has(d.id));
  return (
    <fieldset className={styles.linkList} disabled={!canTag || pending}>
      <legend className="small muted">{legend}</legend>
      <ul className="stack">
        {shown.map(({ deploy, evidence }) => (
          <li key={deploy.id}>
            <label className={styles.linkRow}>
              <input
                type="checkbox"
                checked={selected.has(deploy.id)}
                onChange={(e) => {
                  const next = new Set(selected);
                  if (e.target.checked) next.add(deploy.id);
                  else next.delete(deploy.id);
                  setSelected(next);
                }}
              />
              <span>
                <strong>{deployName(deploy)}</strong>
                {deploy.isRollback ? <span className="badge badge--info">Rollback</span> : null}
                {deploy.deploySystem ? <span className="muted small"> via {deploy.deploySystem}</span> : null}
                <span className="muted small"> · finished {formatInstant(deploy.finishedAt, timezone)}</span>
                <span className="small" style={{ display: "block" }}>
                  {evidence.join("; ")}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {canTag ? (
        <div className="row">
          <button type="button" className="button button--primary button--small" disabled={pending || unchanged} onClick={() => save([...selected])}>
            {pending ? "Saving…" : saveLabel}
          </button>
          {extra?.(save, pending)}
        </div>
      ) : null}
      {result ? (
        <p className={result.ok ? "small" : "field-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * The incident's causing change: deploys of its services before the impact, ranked with
 * evidence, for an engineer to confirm (one, several, or none of these), and the deploys
 * after it started, to mark as its remediation. Confirmed links feed the change figures.
 */
export function CausingChangePanel(p: CausingChangeProps) {
  const causes = p.linkedDeploy && !p.causes.some((d) => d.id === p.linkedDeploy!.id) ? [...p.causes, p.linkedDeploy] : p.causes;
  const status = causes.length ? (
    <span className={`badge badge--success ${styles.causeStatus}`}>
      {causes.length === 1 ? `Caused by ${deployName(causes[0])}` : `${causes.length} causing deploys confirmed`}
    </span>
  ) : p.noneConfirmedAt != null ? (
    <span className={`badge ${styles.causeStatus}`}>None of the deploys, confirmed {formatInstant(p.noneConfirmedAt, p.timezone)}</span>
  ) : (
    <span className="badge badge--warning">Not confirmed</span>
  );
  const services = p.services.join(", ");
  return (
    <section className="card" aria-labelledby="cause-heading" data-testid="causing-change">
      <div className="card__header">
        <h2 id="cause-heading">Causing change</h2>
        {status}
      </div>
      {p.services.length === 0 ? (
        <p className="muted small">Add the services this incident affected to see the deploys before it.</p>
      ) : p.suspects.length === 0 && causes.length === 0 ? (
        <p className="muted small">
          No deploy to {services} finished in the {p.windowHours} h before the impact started. If a change caused it, it came from somewhere the deploy
          data does not cover.
        </p>
      ) : (
        <LinkList
          incidentId={p.incidentId}
          kind="cause"
          rows={p.suspects}
          confirmed={p.causes}
          canTag={p.canTag}
          timezone={p.timezone}
          legend={`Deploys to ${services} in the ${p.windowHours} h before the impact started, most likely first. Tick what caused it.`}
          saveLabel="Confirm causing deploys"
          extra={(save, pending) => (
            <button type="button" className="button button--small" disabled={pending} onClick={() => save([])}>
              None of these
            </button>
          )}
        />
      )}
      {p.linkedDeploy && !p.causes.some((d) => d.id === p.linkedDeploy!.id) ? (
        <p className="small muted">
          Linked from a suggestion: {deployName(p.linkedDeploy)}. It counts as a confirmed cause; change it with the suggestion above.
        </p>
      ) : null}
      {p.remediations.length || p.fixes.length ? (
        <LinkList
          incidentId={p.incidentId}
          kind="remediation"
          rows={p.remediations}
          confirmed={p.fixes}
          canTag={p.canTag}
          timezone={p.timezone}
          legend="Deploys after the impact started: tick the rollback or fix that remediated it."
          saveLabel="Save remediation"
        />
      ) : null}
    </section>
  );
}
