/**
 * Projects section: what /projects and a project page cost at 100,000 incidents: one
 * engine pass (load + analyze), then every project's in-scope series and verdict, the
 * source ranking and the target plan over that pass; first with the incidents read from
 * disk, then as the running server sees it after an edit (incidents kept in memory).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openMigratedDatabase } from "@/db/client";
import { computeSourceRanking, computeTargetPlan, impactFor, loadProjectContext } from "@/server/projects-impact";
import { createProject, listProjects } from "@/db/queries/projects";
import { seedSynthetic } from "./engine";

const AS_OF = Date.parse("2024-12-31T00:00:00Z");
const N = 100_000;
const SYSTEMS = ["argo", "spinnaker", "terraform", "flags"];
const SERVICES = ["api", "web", "db", "auth", "search", "billing", "messaging"];

function ms(t0: number): number {
  return Math.round((performance.now() - t0) * 10) / 10;
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-bench-projects-"));
  try {
    const db = openMigratedDatabase(`file:${path.join(dir, "bench.sqlite")}`);
    seedSynthetic(db, N);
    for (let i = 0; i < 20; i++) {
      createProject(
        db,
        {
          slug: `p-${i}`,
          name: `Project ${i}`,
          status: "delivered",
          deliveredOn: `2023-0${1 + (i % 9)}-15`,
          scopeServices: i % 2 ? [SERVICES[i % SERVICES.length]] : [],
          scopeDeploySystems: [SYSTEMS[i % SYSTEMS.length]],
          expectedEffectHours: 5 + i,
        },
        { actor: "bench" },
      );
    }
    let t0 = performance.now();
    const ctx = loadProjectContext(db, AS_OF);
    const context = ms(t0);
    const rows = listProjects(db);
    t0 = performance.now();
    for (const p of rows) impactFor(ctx, p);
    const impacts = ms(t0);
    t0 = performance.now();
    computeSourceRanking(db, ctx, { dimension: "service" }, rows);
    computeTargetPlan(db, ctx, 4, rows);
    const portfolio = ms(t0);
    // As the running server sees it: incidents already in memory, one edit since.
    db.$client.prepare("UPDATE incident_curation SET customer_impact_pct = 42 WHERE incident_id = 1").run();
    t0 = performance.now();
    const warm = loadProjectContext(db, AS_OF);
    for (const p of rows) impactFor(warm, p);
    computeSourceRanking(db, warm, { dimension: "service" }, rows);
    computeTargetPlan(db, warm, 4, rows);
    const afterWrite = ms(t0);
    db.$client.close();
    return {
      projects_incidents: N,
      projects_context_ms: context,
      projects_impact_20_ms: impacts,
      projects_ranking_plan_ms: portfolio,
      projects_page_total_ms: Math.round((context + impacts + portfolio) * 10) / 10,
      projects_page_total_after_write_ms: afterWrite,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
