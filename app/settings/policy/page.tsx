import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listClosedQuarters } from "@/db/queries/closures";
import { getCurrentPolicy, getPolicyVersion, getTargets, listPolicyVersions, type PolicyVersion } from "@/db/queries/config";
import { previewPolicy } from "@/server/dashboard/data";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import type { Policy } from "@/lib/metric/types";
import styles from "../settings.module.css";
import { PolicyEditor } from "./policy-editor";

export const metadata: Metadata = { title: "Policy" };
export const dynamic = "force-dynamic";

const when = (ms: number) => (ms ? new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—");

/** An old version, readable: the same facts the editor shows, without controls. */
function PolicySummary({ policy }: { policy: Policy }) {
  const byClass = (c: string) =>
    Object.entries(policy.severityClasses)
      .filter(([, v]) => v === c)
      .map(([k]) => k)
      .join(", ") || "none";
  const r = policy.mediumRule;
  const conditions = [
    r.minDurationMinutes != null ? `lasts at least ${r.minDurationMinutes} min` : null,
    r.minCustomerImpactPct != null ? `affects at least ${r.minCustomerImpactPct}% of customers` : null,
    r.features?.length ? `affects ${r.features.join(", ")}` : null,
    r.services?.length ? `involves ${r.services.join(", ")}` : null,
  ].filter(Boolean);
  return (
    <dl className="small" data-testid="policy-summary">
      <dt>
        <strong>High (count)</strong>
      </dt>
      <dd>{byClass("high")}</dd>
      <dt>
        <strong>Medium (rule decides)</strong>
      </dt>
      <dd>{byClass("medium")}</dd>
      <dt>
        <strong>Low (never count)</strong>
      </dt>
      <dd>{byClass("low")}</dd>
      <dt>
        <strong>Medium rule</strong>
      </dt>
      <dd>{conditions.length ? `Selected when ${conditions.join(r.match === "all" ? " and " : " or ")}.` : "No conditions: selects nothing."}</dd>
      <dt>
        <strong>Counting</strong>
      </dt>
      <dd>
        {policy.requireChangeTriggered ? "Only change-triggered incidents." : "Any trigger."} Overlaps: {policy.overlap === "sum" ? "summed" : "union (each moment once)"}.
      </dd>
    </dl>
  );
}

function History({ versions, current, viewing }: { versions: PolicyVersion[]; current: number; viewing: number | null }) {
  return (
    <ol className={styles.history} data-testid="policy-versions" reversed>
      {versions.map((v) => (
        <li key={v.id} data-version={v.id}>
          <div className="row">
            <strong>Version {v.id}</strong>
            {v.id === current ? <span className="badge badge--success">current</span> : null}
            <span className="small muted">
              {when(v.createdAt)} by {v.createdBy ?? "unknown"}
            </span>
            <span className="spacer" />
            {viewing === v.id ? (
              <span className="small">shown below</span>
            ) : (
              <Link href={`/settings/policy?version=${v.id}#version`} className="small">
                Read
              </Link>
            )}
          </div>
          {v.note ? <div className="small">{v.note}</div> : <div className="small muted">No note.</div>}
        </li>
      ))}
    </ol>
  );
}

export default async function PolicyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The counting definition is the program lead's to set; reports name the version in force for everyone else.
  const actor = await requirePageRole("lead");
  const db = getDb();
  const raw = (await searchParams).version;
  const wanted = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : null;
  const current = getCurrentPolicy(db);
  const versions = listPolicyVersions(db);
  const viewing = wanted != null ? getPolicyVersion(db, wanted) : null;
  const preview = previewPolicy(db, current.policy);
  const canEdit = can(actor.role, "editPolicy");
  return (
    <>
      {raw !== undefined && !viewing ? (
        <div className="alert alert--warning" role="alert">
          There is no policy version “{String(raw)}”. Pick one from the history below.
        </div>
      ) : null}
      <p className="muted">
        The policy decides which incidents count. Try a change in the draft: the preview shows what it would do to every quarter before you save. Saving adds a
        new version; old versions stay readable below.
      </p>
      <PolicyEditor current={current.policy} currentVersion={current.id} initialPreview={preview} canEdit={canEdit} targets={getTargets(db)} closed={listClosedQuarters(db)} />
      <div className={`grid grid--2`} style={{ marginTop: "1rem" }}>
        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">Version history</h2>
          <History versions={versions} current={current.id} viewing={viewing?.id ?? null} />
        </section>
        <section className="card" id="version" aria-labelledby="version-title" style={{ marginTop: 0 }}>
          <h2 id="version-title">{viewing ? `Version ${viewing.id}` : `Version ${current.id} (current)`}</h2>
          {(() => {
            const v = viewing ?? current;
            return (
              <>
                <p className="small muted">
                  Saved {when(v.createdAt)} by {v.createdBy ?? "unknown"}. {v.note ?? ""}
                </p>
                <PolicySummary policy={v.policy} />
                <details>
                  <summary className="small">As JSON</summary>
                  <pre className={styles.pre}>{JSON.stringify(v.policy, null, 2)}</pre>
                </details>
              </>
            );
          })()}
        </section>
      </div>
    </>
  );
}
