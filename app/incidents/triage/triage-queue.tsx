"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { TriageItem } from "@/server/triage";
import { formatInstant } from "@/lib/incidents/format";
import { formatDelta, formatHours } from "@/lib/format/hours";
import { triageAction } from "../actions";
import styles from "./triage.module.css";

const SKIP_KEY = "triage.skipped";

const SHORTCUTS: [string, string][] = [
  ["C", "Change-triggered"],
  ["O", "Not change-triggered (other cause)"],
  ["A", "Accept the suggestion"],
  ["S", "Skip for this session"],
  ["N", "Next incident"],
  ["P", "Previous incident"],
  ["E", "Open the full incident page"],
];

/**
 * One incident at a time; decisions by keyboard or buttons. Skipped incidents move to the
 * end for this browser session; decided ones leave the queue.
 */
export function TriageQueue({ items, total, timezone, canTag }: { items: TriageItem[]; total: number; timezone: string; canTag: boolean }) {
  const router = useRouter();
  const [done, setDone] = useState<Set<number>>(new Set());
  const [skipped, setSkipped] = useState<number[]>([]);
  const [pos, setPos] = useState(0);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState<Set<number>>(new Set());
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = saving.size > 0;

  useEffect(
    () => () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
    },
    [],
  );

  useEffect(() => {
    try {
      const saved = JSON.parse(sessionStorage.getItem(SKIP_KEY) ?? "[]");
      // eslint-disable-next-line react-hooks/set-state-in-effect -- sessionStorage is only readable after hydration.
      if (Array.isArray(saved)) setSkipped(saved.filter((n) => typeof n === "number"));
    } catch {
      // Storage unavailable: skips last for this page only.
    }
  }, []);

  const order = useMemo(() => {
    const open = items.filter((i) => !done.has(i.id));
    return [...open.filter((i) => !skipped.includes(i.id)), ...open.filter((i) => skipped.includes(i.id))];
  }, [items, done, skipped]);
  const index = order.length ? Math.min(pos, order.length - 1) : 0;
  const current = order[index] ?? null;

  // Optimistic: a decision moves on at once and saves in the background, so keyboard
  // triage never waits; a failed save puts the incident back with the reason.
  const decide = useCallback(
    (trigger: "change" | "other", accept = false) => {
      if (!current || !canTag || saving.has(current.id)) return;
      const s = current.suggestions;
      if (accept && !s.trigger) {
        setStatus({ ok: false, text: "There is no suggestion for this incident." });
        return;
      }
      const input = {
        incidentId: current.id,
        trigger: accept ? s.trigger! : trigger,
        version: current.version,
        ...(accept && s.changeType ? { changeType: s.changeType } : {}),
        ...(accept && s.deploySystem ? { deploySystem: s.deploySystem } : {}),
        ...(accept && s.deployId ? { linkedDeployId: s.deployId } : {}),
        ...(accept ? { evidence: [...s.deploys.slice(0, 1).map((d) => d.evidence), ...s.text.map((t) => `${t.rule}: "${t.evidence}"`)] } : {}),
      };
      const item = current;
      setDone((d) => new Set(d).add(item.id));
      setSaving((v) => new Set(v).add(item.id));
      void (async () => {
        try {
          const res = await triageAction(input);
          if (res.ok) {
            const moved = res.data.quarterDeltas.map((d) => `${d.quarter} ${formatDelta(d.delta)}`).join(", ");
            setStatus({ ok: true, text: `${item.sourceId}: ${input.trigger === "change" ? "change-triggered" : "not change-triggered"}${moved ? ` — moved ${moved}` : ""}.` });
          } else {
            setDone((d) => {
              const n = new Set(d);
              n.delete(item.id);
              return n;
            });
            setStatus({ ok: false, text: `${item.sourceId} was not saved: ${res.message}` });
          }
        } catch {
          setDone((d) => {
            const n = new Set(d);
            n.delete(item.id);
            return n;
          });
          setStatus({ ok: false, text: `${item.sourceId} was not saved: the server could not be reached.` });
        } finally {
          setSaving((v) => {
            const n = new Set(v);
            n.delete(item.id);
            return n;
          });
          if (refreshTimer.current) clearTimeout(refreshTimer.current);
          refreshTimer.current = setTimeout(() => router.refresh(), 400);
        }
      })();
    },
    [current, canTag, saving, router],
  );

  const skip = useCallback(() => {
    if (!current) return;
    const next = [...skipped.filter((n) => n !== current.id), current.id];
    setSkipped(next);
    try {
      sessionStorage.setItem(SKIP_KEY, JSON.stringify(next.slice(-500)));
    } catch {
      // ignore
    }
    setStatus({ ok: true, text: `Skipped ${current.sourceId}; it moves to the end of the queue.` });
  }, [current, skipped]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
      const k = e.key.toLowerCase();
      if (k === "c") decide("change");
      else if (k === "o") decide("other");
      else if (k === "a") decide("change", true);
      else if (k === "s") skip();
      else if (k === "n" || k === "j") setPos((p) => (order.length ? (Math.min(p, order.length - 1) + 1) % order.length : 0));
      else if (k === "p" || k === "k") setPos((p) => (order.length ? (Math.min(p, order.length - 1) - 1 + order.length) % order.length : 0));
      else if (k === "e" && current) router.push(`/incidents/${current.id}`);
      else return;
      e.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [decide, skip, order.length, current, router]);

  return (
    <div className={styles.layout}>
      <div className="stack">
        {status ? (
          <div className={`alert ${status.ok ? "alert--success" : "alert--error"}`} role="status" aria-live="polite" data-testid="triage-status">
            {status.text}
          </div>
        ) : null}
        {current ? (
          <article className="card" aria-labelledby="triage-title" data-testid="triage-current" data-incident-id={current.id}>
            <div className="card__header">
              <div>
                <p className="muted small">
                  {index + 1} of {order.length} loaded · {total.toLocaleString("en-US")} untriaged in all
                  {skipped.includes(current.id) ? " · skipped earlier" : ""}
                </p>
                <h2 id="triage-title">{current.title}</h2>
              </div>
              {current.candidate ? (
                <span className="badge badge--danger" title="The severity rules select it">
                  Would count if change-triggered
                </span>
              ) : (
                <span className="badge badge--neutral">Would not count either way</span>
              )}
            </div>
            <dl className={styles.facts}>
              <dt>Source</dt>
              <dd className="mono">
                {current.source} / {current.sourceId}
              </dd>
              <dt>Severity</dt>
              <dd>{current.severity}</dd>
              <dt>Impact</dt>
              <dd>
                {formatInstant(current.windowStart, timezone)} → {current.windowEnd == null ? "ongoing" : formatInstant(current.windowEnd, timezone)} (
                {formatHours(current.durationHours)})
              </dd>
              <dt>Services</dt>
              <dd>{current.services.join(", ") || "—"}</dd>
            </dl>
            {current.description ? <p className={styles.description}>{current.description}</p> : <p className="muted small">No description from the source tool.</p>}
            <section aria-labelledby="triage-suggest" className={styles.suggest}>
              <h3 id="triage-suggest">Suggestion</h3>
              {current.suggestions.trigger ? (
                <p>
                  <strong>{current.suggestions.trigger === "change" ? "Change-triggered" : "Not change-triggered"}</strong>
                  {current.suggestions.changeType ? ` · ${current.suggestions.changeType}` : ""}
                  {current.suggestions.deploySystem ? ` · ${current.suggestions.deploySystem}` : ""}
                </p>
              ) : (
                <p className="muted small">No suggestion: decide from the description.</p>
              )}
              <ul className="small">
                {current.suggestions.deploys.map((d) => (
                  <li key={d.deploy.id}>{d.evidence}</li>
                ))}
                {current.suggestions.text.map((t) => (
                  <li key={t.rule}>
                    {t.rule}: “<mark>{t.evidence}</mark>” in the {t.field}
                  </li>
                ))}
              </ul>
            </section>
            {canTag ? (
              <div className="row">
                <button type="button" className="button button--primary" onClick={() => decide("change")} disabled={saving.has(current.id)}>
                  <kbd>C</kbd> Change-triggered
                </button>
                <button type="button" className="button" onClick={() => decide("other")} disabled={saving.has(current.id)}>
                  <kbd>O</kbd> Not change-triggered
                </button>
                <button type="button" className="button" onClick={() => decide("change", true)} disabled={saving.has(current.id) || !current.suggestions.trigger}>
                  <kbd>A</kbd> Accept suggestion
                </button>
                <button type="button" className="button" onClick={skip}>
                  <kbd>S</kbd> Skip
                </button>
                <button type="button" className="button" onClick={() => setPos((p) => (p + 1) % Math.max(order.length, 1))}>
                  <kbd>N</kbd> Next
                </button>
                <Link className="button" href={`/incidents/${current.id}`}>
                  <kbd>E</kbd> Full page
                </Link>
              </div>
            ) : (
              <p className="alert alert--info">Your role can read the queue; an editor can triage.</p>
            )}
          </article>
        ) : (
          <div className="card empty-state">
            <h2>{pending ? "Saving…" : "Done with this batch"}</h2>
            <p>Loading the next incidents in the queue…</p>
            <div className="row">
              <button type="button" className="button" onClick={() => router.refresh()}>
                Load more
              </button>
            </div>
          </div>
        )}
      </div>
      <aside className="card" aria-labelledby="shortcuts-heading">
        <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
        <dl className={styles.shortcuts}>
          {SHORTCUTS.map(([k, what]) => (
            <div key={k} className={styles.shortcut}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <p className="small muted">Shortcuts work whenever focus is not in a text field. Every decision is saved at once and recorded in the incident’s history.</p>
      </aside>
    </div>
  );
}
