"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

interface Outcome {
  ok: boolean;
  message: string;
}

async function post(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(path, { method: "POST", headers: { accept: "application/json" } });
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    body = { message: `The server answered ${res.status}.` };
  }
  return { status: res.status, body };
}

/** "Test connection" and "Sync now" for one source, with the outcome in plain words. */
export function SourceActions({ name }: { name: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState<null | "test" | "sync">(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const base = `/api/sources/${encodeURIComponent(name)}`;

  async function test() {
    setBusy("test");
    setOutcome(null);
    try {
      const { body } = await post(`${base}/test`);
      setOutcome({ ok: body.ok === true, message: String(body.message ?? "The test gave no answer.") });
    } finally {
      setBusy(null);
    }
  }

  async function sync() {
    setBusy("sync");
    setOutcome(null);
    try {
      const { status, body } = await post(`${base}/sync`);
      if (status === 202) setOutcome({ ok: true, message: "The sync is running in the background; reload for its outcome." });
      else if (status !== 200) setOutcome({ ok: false, message: String(body.message ?? `The server answered ${status}.`) });
      else if (body.status === "succeeded") setOutcome({ ok: true, message: `Synced: ${body.created} new, ${body.updated} updated, ${body.unchanged} unchanged, ${body.rejected} rejected.` });
      else setOutcome({ ok: false, message: `The sync failed: ${String(body.error)}` });
      router.refresh();
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="cluster" style={{ display: "flex", gap: "0.5rem", alignItems: "center", flexWrap: "wrap", margin: "0.5rem 0" }}>
      <button type="button" className="button" onClick={test} disabled={busy !== null}>
        {busy === "test" ? "Testing…" : "Test connection"}
      </button>
      <button type="button" className="button button--primary" onClick={sync} disabled={busy !== null}>
        {busy === "sync" ? "Syncing…" : "Sync now"}
      </button>
      {outcome ? (
        <span role={outcome.ok ? "status" : "alert"} className={outcome.ok ? "" : "field-error"}>
          {outcome.message}
        </span>
      ) : null}
    </div>
  );
}
