/**
 * The other side of the "undo" bench section: a separate process on its own connection,
 * like the running server while `cli batches undo` works. It loops until the stop file
 * appears: the health route's handler, an aggregate over every incident, a page of the
 * incident list, and every other round a short write (one audit row). Each operation's
 * start, duration and error go to the result file as JSON.
 *
 * usage: tsx --conditions=react-server scripts/bench/undo-reader.ts DB_FILE STOP_FILE RESULT_FILE
 */
import fs from "node:fs";
import { openDatabase } from "@/db/client";

export interface ReaderOp {
  op: "health" | "aggregate" | "page" | "write";
  at: number;
  ms: number;
  error?: string;
}

async function main() {
  const [file, stopFile, resultFile] = process.argv.slice(2);
  if (!file || !stopFile || !resultFile) throw new Error("usage: undo-reader DB_FILE STOP_FILE RESULT_FILE");
  process.env.DATABASE_URL = `file:${file}`;
  // The route handler itself, on the process-wide connection it opens (opened here, before the clock).
  const { GET: health } = await import("@/app/api/health/route");
  await health().json();
  const sqlite = openDatabase(`file:${file}`).$client;
  const aggregate = sqlite.prepare(
    `SELECT c."trigger" AS t, count(*) AS n, sum(coalesce(i.resolved_at, i.started_at) - i.started_at) AS ms
     FROM incidents i JOIN incident_curation c ON c.incident_id = i.id GROUP BY c."trigger"`,
  );
  const page = sqlite.prepare(
    `SELECT i.id, i.title, i.severity, i.started_at, c."trigger" FROM incidents i LEFT JOIN incident_curation c ON c.incident_id = i.id
     ORDER BY i.started_at DESC LIMIT 50 OFFSET 500`,
  );
  const write = sqlite.prepare("INSERT INTO audit_log (at, actor_label, action) VALUES (?, 'bench-reader', 'bench.ping')");

  const ops: ReaderOp[] = [];
  const time = async (op: ReaderOp["op"], fn: () => unknown) => {
    const at = Date.now();
    const t0 = performance.now();
    try {
      const r = fn();
      if (r instanceof Response) {
        const body = (await r.json()) as { ok?: boolean };
        if (r.status !== 200 || !body.ok) throw new Error(`health answered ${r.status}`);
      }
      ops.push({ op, at, ms: performance.now() - t0 });
    } catch (err) {
      ops.push({ op, at, ms: performance.now() - t0, error: err instanceof Error ? err.message : String(err) });
    }
  };
  console.log("ready");
  for (let round = 0; !fs.existsSync(stopFile); round++) {
    await time("health", () => health());
    await time("aggregate", () => aggregate.all());
    await time("page", () => page.all());
    if (round % 2 === 0) await time("write", () => write.run(Date.now()));
    // Leave the other core to the undo on this 2-core machine.
    await new Promise((r) => setTimeout(r, 5));
  }
  fs.writeFileSync(resultFile, JSON.stringify(ops));
  sqlite.close();
}

main().catch((err) => {
  console.error(`undo-reader: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
