import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { getSettings } from "@/db/queries/config";
import { attemptsFor, listOutbox } from "@/db/queries/delivery";
import { can } from "@/lib/auth/can";
import { CHANNEL_KIND_LABELS } from "@/lib/delivery/channels";
import { WEEKDAYS } from "@/lib/delivery/schedule";
import { requirePageRole } from "@/server/auth/guards";
import { appUrlState } from "@/server/delivery/app-url";
import { FAILING_AFTER, listChannelViews, type ChannelView } from "@/server/delivery/channels";
import { schedulesWithHistory } from "@/server/delivery/schedules";
import { deleteChannelAction, deleteScheduleAction, retryDeliveryAction, sendScheduleNowAction, sendTestAction } from "./actions";
import { AlertsForm, AppUrlForm, ChannelForm, RowButton, ScheduleForm } from "./delivery-forms";
import { getAlertsConfig } from "@/server/delivery/alerts";

export const metadata: Metadata = { title: "Delivery" };
export const dynamic = "force-dynamic";

const when = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace(/:\d\d\.\d+Z$/, " UTC").replace("T", " ") : "—");

function target(c: ChannelView): string {
  if (c.kind === "webhook") return `${String(c.config.url)} (${(c.config.events as string[]).length} events)`;
  if (c.kind === "email") {
    const cfg = c.config as { host?: string; port?: number; to?: string[] };
    return `${(cfg.to ?? []).join(", ")} via ${cfg.host}:${cfg.port}`;
  }
  return c.hasSecret ? `webhook at ${String(c.config.host ?? "")}` : "no webhook URL";
}

function Health({ c }: { c: ChannelView }) {
  if (c.consecutiveFailures >= FAILING_AFTER) return <span className="badge badge--danger">Failing: {c.consecutiveFailures} in a row</span>;
  if (c.consecutiveFailures > 0) return <span className="badge badge--warning">Last attempt failed</span>;
  if (c.lastSuccessAt) return <span className="badge badge--success">OK</span>;
  return <span className="badge badge--neutral">Nothing sent yet</span>;
}

export default async function DeliverySettingsPage() {
  const actor = await requirePageRole("lead");
  const db = getDb();
  const isAdmin = can(actor.role, "editSettings");
  const url = appUrlState(db);
  const channels = listChannelViews(db);
  const names = new Map(channels.map((c) => [c.id, c.name]));
  const schedules = schedulesWithHistory(db, 10);
  const log = listOutbox(db, { limit: 30 });
  const attempts = attemptsFor(db, log.map((r) => r.id));
  return (
    <div className="stack">
      <section className="card" aria-labelledby="url-title">
        <div className="card__header">
          <h2 id="url-title">Public URL</h2>
          {url.url ? <span className="badge badge--success">Set{url.source === "env" ? " by APP_URL" : ""}</span> : <span className="badge badge--warning">Not set</span>}
        </div>
        {url.url ? (
          <p data-testid="app-url">
            Links in summaries, PDFs and messages start with <strong>{url.url}</strong>
            {url.source === "env" ? " (the APP_URL environment variable, which wins over the setting below)." : "."}
          </p>
        ) : (
          <div className="alert alert--warning" role="status" data-testid="app-url">
            The app&apos;s public URL is not set, so summaries, PDFs and messages go out without links (never with a localhost one). Set APP_URL
            when starting the server, or save it here.
          </div>
        )}
        {isAdmin ? <AppUrlForm initial={url.setting ?? ""} /> : <p className="muted small">An admin can change it.</p>}
      </section>

      <section className="card" aria-labelledby="channels-title">
        <div className="card__header">
          <h2 id="channels-title">Channels</h2>
        </div>
        {channels.length ? (
          <div className="table-wrap">
            <table className="table" data-testid="channels-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Sends to</th>
                  <th scope="col">Health</th>
                  {isAdmin ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {channels.map((c) => (
                  <tr key={c.id}>
                    <td>{c.name}</td>
                    <td>{CHANNEL_KIND_LABELS[c.kind]}</td>
                    <td className="small">{target(c)}</td>
                    <td>
                      <Health c={c} />
                      {c.lastError ? <div className="small muted">{c.lastError}</div> : null}
                    </td>
                    {isAdmin ? (
                      <td>
                        <RowButton action={sendTestAction} id={c.id} label="Send test" pendingLabel="Queueing…" />
                        <RowButton action={deleteChannelAction} id={c.id} label="Delete" pendingLabel="Deleting…" danger />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">No channel yet.</p>
        )}
        {isAdmin ? (
          <>
            <h3>Add a channel</h3>
            <ChannelForm />
          </>
        ) : (
          <p className="muted small">An admin adds channels.</p>
        )}
      </section>

      <section className="card" aria-labelledby="schedules-title">
        <div className="card__header">
          <h2 id="schedules-title">Schedules</h2>
        </div>
        {schedules.length === 0 ? <p className="muted">No schedule yet.</p> : null}
        {schedules.map(({ schedule: s, history }) => (
          <div key={s.id} className="card" data-testid={`schedule-${s.id}`} style={{ marginBottom: "0.75rem" }}>
            <h3 style={{ marginTop: 0 }}>{s.name}</h3>
            <p className="small">
              {s.kind === "digest"
                ? `Weekly digest, ${WEEKDAYS[s.weekday - 1]} at ${String(s.hour).padStart(2, "0")}:00 ${s.timezone}; next ${when(s.nextRunAt)}`
                : "The quarterly report, when published"}
              {" · to "}
              {s.channelIds.map((id) => names.get(id) ?? `channel ${id} (deleted)`).join(", ")}
            </p>
            <RowButton action={sendScheduleNowAction} id={s.id} label="Send now" pendingLabel="Queueing…" />
            <RowButton action={deleteScheduleAction} id={s.id} label="Delete" pendingLabel="Deleting…" danger />
            <details open={history.length > 0}>
              <summary className="small">History ({history.length})</summary>
              {history.length ? (
                <ul className="small">
                  {history.map((h) => (
                    <li key={h.id}>
                      {when(h.createdAt)} → {h.channelName}: <strong>{h.status}</strong>
                      {h.attemptLog.length ? ` (${h.attemptLog.at(-1)!.detail})` : ""}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted small">Nothing sent yet.</p>
              )}
            </details>
          </div>
        ))}
        <h3>Add a schedule</h3>
        <ScheduleForm channels={channels.filter((c) => c.kind !== "webhook").map((c) => ({ id: c.id, name: c.name }))} defaultTimezone={getSettings(db).timezone} />
      </section>

      <section className="card" aria-labelledby="alerts-title">
        <div className="card__header">
          <h2 id="alerts-title">Alerts</h2>
        </div>
        <AlertsForm initial={getAlertsConfig(db)} channels={channels.filter((c) => c.kind !== "webhook").map((c) => ({ id: c.id, name: c.name }))} />
      </section>

      <section className="card" aria-labelledby="log-title">
        <div className="card__header">
          <h2 id="log-title">Delivery log</h2>
        </div>
        {log.length === 0 ? (
          <p className="muted">Nothing queued or sent yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="delivery-log">
              <thead>
                <tr>
                  <th scope="col">Queued</th>
                  <th scope="col">What</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Status</th>
                  <th scope="col">Answers</th>
                </tr>
              </thead>
              <tbody>
                {log.map((r) => (
                  <tr key={r.id}>
                    <td className="small">{when(r.createdAt)}</td>
                    <td>{r.kind === "event" ? String((r.payload as { type?: string }).type ?? "event") : r.kind}</td>
                    <td>{names.get(r.channelId) ?? r.channelId}</td>
                    <td>
                      <span className={`badge ${r.status === "sent" ? "badge--success" : r.status === "failed" ? "badge--danger" : "badge--neutral"}`}>{r.status}</span>
                      {r.status === "pending" && r.attempts > 0 ? <div className="small muted">next try {when(r.nextAttemptAt)}</div> : null}
                      {r.kind === "event" && r.status !== "pending" ? (
                        <RowButton action={retryDeliveryAction} id={r.id} label="Redeliver" pendingLabel="Queueing…" />
                      ) : r.status === "failed" ? (
                        <RowButton action={retryDeliveryAction} id={r.id} label="Retry" pendingLabel="Queueing…" />
                      ) : null}
                    </td>
                    <td className="small">
                      {(attempts.get(r.id) ?? []).map((a) => (
                        <div key={a.id}>
                          {when(a.at)}: {a.detail}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
