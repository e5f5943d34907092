/**
 * Bench section "incidents": the incident list, triage queue and a curation save over
 * 100,000 incidents (plain prepared INSERTs; ~1/3 change-triggered, ~1/3 untriaged).
 * Figures in ms; the page should answer well under 500 ms for each list query.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openMigratedDatabase } from "@/db/client";
import { updateCuration } from "@/db/queries/curation";
import { incidentFilterChoices, listIncidents } from "@/db/queries/incidents";
import { triageQueue } from "@/server/triage";
import { incidentListQuerySchema } from "@/lib/validation/incident-list";

const ROWS = Number(process.env.BENCH_INCIDENT_ROWS) || 100_000;
const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"];
const SERVICES = ["checkout", "payments", "auth", "search", "notifications", "api-gateway"];
const TRIGGERS = ["change", "other", "unknown"];
const DESCRIPTION_TAIL = "The on-call engineer rolled back the deploy and the error rate recovered. Follow-up actions are tracked in the postmortem. ".repeat(2);

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: Math.round((performance.now() - t0) * 10) / 10, value };
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-bench-incidents-"));
  const db = openMigratedDatabase(`file:${path.join(dir, "bench.sqlite")}`);
  try {
    const t0 = Date.parse("2022-01-01T00:00:00Z");
    const insI = db.$client.prepare(
      "INSERT INTO incidents (source, source_id, title, description, severity, started_at, resolved_at, source_services, custom_fields, source_hash, created_at, updated_at) VALUES ('bench', ?, ?, ?, ?, ?, ?, ?, ?, 'h', ?, ?)",
    );
    const insC = db.$client.prepare("INSERT INTO incident_curation (incident_id, trigger, services, deploy_system, change_type, analysis_status, updated_at) VALUES (?, ?, ?, ?, ?, 'final', ?)");
    db.$client.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const start = t0 + i * 600_000;
        const svc = JSON.stringify([SERVICES[i % 6]]);
        // A description of a few hundred characters and two custom fields, as real exports carry, so search reads real text.
        const description = `Customers saw elevated error rates on ${SERVICES[i % 6]} after change ${i * 31}. ${DESCRIPTION_TAIL}`;
        const custom = JSON.stringify({ team: `team-${i % 40}`, region: `region-${i % 7}`, ticket: `TCK-${i}` });
        const id = insI.run(`INC-${i}`, `Errors on ${SERVICES[i % 6]} run ${i}`, description, SEVERITIES[i % 4], start, start + ((i * 7919) % 7200) * 1000, svc, custom, start, start).lastInsertRowid;
        const trig = TRIGGERS[i % 3];
        insC.run(id, trig, svc, trig === "change" ? "spinnaker" : null, trig === "change" ? "code_deploy" : null, start);
      }
    })();
    const q = (p: Record<string, string>) => incidentListQuerySchema.parse(p);
    const out: Record<string, unknown> = { incidents_rows: ROWS };
    out.incidents_list_default_ms = time(() => listIncidents(db, q({}))).ms;
    out.incidents_list_page_1000_ms = time(() => listIncidents(db, q({ page: "1000" }))).ms;
    out.incidents_list_search_ms = time(() => listIncidents(db, q({ q: "INC-4242" }))).ms;
    out.incidents_list_search_description_ms = time(() => listIncidents(db, q({ q: "change 31031" }))).ms;
    out.incidents_list_search_custom_field_ms = time(() => listIncidents(db, q({ q: "TCK-4242" }))).ms;
    out.incidents_list_search_miss_ms = time(() => listIncidents(db, q({ q: "no such words anywhere" }))).ms;
    out.incidents_list_filters_ms = time(() => listIncidents(db, q({ trigger: "change", service: "search", quarter: "FY2023-Q2", sort: "duration" }))).ms;
    out.incidents_list_counted_ms = time(() => listIncidents(db, q({ counted: "yes" }))).ms;
    out.incidents_filter_choices_ms = time(() => incidentFilterChoices(db)).ms;
    out.incidents_triage_queue_ms = time(() => triageQueue(db, { limit: 40 })).ms;
    const id = (db.$client.prepare("SELECT incident_id AS id FROM incident_curation WHERE trigger = 'unknown' LIMIT 1").get() as { id: number }).id;
    out.incidents_save_ms = time(() => updateCuration(db, id, { trigger: "change", version: 1 }, { actor: { label: "bench" } })).ms;
    return out;
  } finally {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
