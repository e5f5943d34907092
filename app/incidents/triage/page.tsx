import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { getSettings } from "@/db/queries/config";
import { triageQueue } from "@/server/triage";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { TriageQueue } from "./triage-queue";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Triage queue" };

export default async function TriagePage() {
  const actor = await requirePageRole("viewer");
  const db = getDb();
  const queue = triageQueue(db, { limit: 40 });
  const settings = getSettings(db);
  return (
    <div className="stack">
      <nav className="small">
        <Link href="/incidents">← Incidents</Link>
      </nav>
      <div className="page-header">
        <div>
          <h1>Triage queue</h1>
          <p className="muted">
            {queue.total === 0
              ? "Nothing to triage."
              : `${queue.total.toLocaleString("en-US")} untriaged · ${queue.candidates.toLocaleString("en-US")} would count if change-triggered (shown first)`}
          </p>
        </div>
        <Link className="button" href="/incidents?trigger=unknown">
          See them as a list
        </Link>
      </div>
      {queue.total === 0 ? (
        <div className="card empty-state">
          <h2>All caught up</h2>
          <p>Every incident has a trigger. New imports land here until someone decides whether a change caused them.</p>
          <div className="row">
            <Link className="button" href="/incidents">
              Back to incidents
            </Link>
          </div>
        </div>
      ) : (
        <TriageQueue items={queue.items} total={queue.total} timezone={settings.timezone} canTag={can(actor.role, "tag")} />
      )}
    </div>
  );
}
