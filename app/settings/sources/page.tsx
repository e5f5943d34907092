import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ALL_SOURCE_KINDS, KIND_INFO } from "@/lib/sources/kinds";
import { requirePageRole } from "@/server/auth/guards";
import { listSourceStatuses } from "@/server/sources/status";
import { SourceActions } from "./source-actions";
import { SourceForm, type KindOption } from "./source-form";

export const metadata: Metadata = { title: "Sources" };
export const dynamic = "force-dynamic";

const when = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace("T", " ").replace(/:\d{2}\.\d{3}Z$/, " UTC") : "—");

export default async function SourcesSettingsPage() {
  await requirePageRole("admin");
  const statuses = listSourceStatuses(getDb());
  const kinds: KindOption[] = ALL_SOURCE_KINDS.map((k) => ({ value: k, label: KIND_INFO[k].label, defaultBaseUrl: KIND_INFO[k].defaultBaseUrl, needsCredential: KIND_INFO[k].needsCredential, scopeHint: KIND_INFO[k].scopeHint }));
  return (
    <>
      <section className="card" aria-labelledby="sources-title">
        <div className="card__header">
          <h2 id="sources-title">Live sources</h2>
        </div>
        <p className="muted small">
          Incidents arrive by themselves from the tools where they live: each sync is an import batch (listed on Import, undoable) that never
          overwrites triage or analysis. Webhooks are received at <code>POST /api/webhooks/&lt;source name&gt;</code>. Credentials are stored
          encrypted and never shown again.
        </p>
        {statuses.length === 0 ? <p>No sources yet: add one below.</p> : null}
        {statuses.map((s) => (
          <article key={s.source.id} className="card" aria-labelledby={`source-${s.source.name}`} data-testid={`source-${s.source.name}`} style={{ marginTop: "1rem" }}>
            <div className="card__header">
              <h3 id={`source-${s.source.name}`}>
                {s.source.name} <span className="badge badge--neutral">{s.kindLabel}</span>{" "}
                {s.source.enabled ? null : <span className="badge badge--neutral">off</span>}
                {s.source.consecutiveFailures >= 3 ? <span className="badge badge--danger">failing</span> : null}
              </h3>
            </div>
            <dl className="small" style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "0.25rem 1rem" }}>
              <dt>Address</dt>
              <dd>{s.source.baseUrl}</dd>
              <dt>Scope</dt>
              <dd>{s.scopeText || "everything the credential can read"}</dd>
              <dt>Credential</dt>
              <dd>{s.source.hasCredential ? "set (write-only)" : "none"}</dd>
              <dt>Schedule</dt>
              <dd>{s.polls ? `every ${s.source.everyMinutes} min` : "webhooks only"}</dd>
              <dt>Last run</dt>
              <dd data-testid="last-run">{s.lastRun ? `${s.lastRun.status === "running" ? "running since" : s.lastRun.status === "succeeded" ? "succeeded" : "failed"} ${when(s.lastRun.finishedAt ?? s.lastRun.startedAt)}` : "never"}</dd>
              <dt>What changed</dt>
              <dd data-testid="changed">
                {s.changed ?? "—"}
                {s.lastRun?.batchId ? <> (import batch {s.lastRun.batchId}, undo it on <a href="/import">Import</a>)</> : null}
              </dd>
              <dt>Next run</dt>
              <dd>{s.polls && s.source.enabled ? when(s.source.nextRunAt) : "—"}</dd>
              {s.lastError ? (
                <>
                  <dt>Last error</dt>
                  <dd className="field-error" data-testid="last-error">
                    {s.lastError}
                    {s.source.consecutiveFailures > 1 ? ` (${s.source.consecutiveFailures} failed runs in a row)` : ""}
                  </dd>
                </>
              ) : null}
              <dt>Webhooks</dt>
              <dd data-testid="webhooks">
                {s.source.hasWebhookSecret ? (
                  s.receipts.length ? (
                    <>
                      last {when(s.receipts[0].receivedAt)}: {s.receipts[0].event ?? "event"} ({s.receipts[0].outcome}
                      {s.receipts[0].detail ? `: ${s.receipts[0].detail}` : ""}); {s.receipts.length === 5 ? "5 or more" : s.receipts.length} recent
                    </>
                  ) : (
                    <>none received yet at <code>/api/webhooks/{s.source.name}</code></>
                  )
                ) : (
                  "no signing secret set"
                )}
              </dd>
            </dl>
            {s.polls ? <SourceActions name={s.source.name} /> : null}
            <details>
              <summary>Edit {s.source.name}</summary>
              <SourceForm
                kinds={kinds}
                initial={{ originalName: s.source.name, name: s.source.name, kind: s.source.kind, baseUrl: s.source.baseUrl, scope: s.scopeText, everyMinutes: String(s.source.everyMinutes), enabled: s.source.enabled }}
                hasCredential={s.source.hasCredential}
                hasWebhookSecret={s.source.hasWebhookSecret}
              />
            </details>
          </article>
        ))}
      </section>
      <section className="card" aria-labelledby="add-source-title">
        <div className="card__header">
          <h2 id="add-source-title">Add a source</h2>
        </div>
        <SourceForm kinds={kinds} initial={{ originalName: "", name: "", kind: "pagerduty", baseUrl: "", scope: "", everyMinutes: "15", enabled: true }} hasCredential={false} hasWebhookSecret={false} />
      </section>
    </>
  );
}
