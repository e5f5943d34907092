/**
 * Bench section "json": what bounding JSON depth before parsing costs. A 100,000-incident
 * canonical JSON import (strings with brackets, quotes and escapes, nested custom fields)
 * is scanned by jsonDepthExceededAt and parsed by JSON.parse; the scan should be a small
 * fraction of the parse. Also the time to refuse a 10,000-level document (bounded by the
 * first 65 brackets, whatever the size).
 */
import { jsonDepthExceededAt, MAX_JSON_DEPTH } from "@/lib/json/bounded";

const ROWS = Number(process.env.BENCH_JSON_ROWS) || 100_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown, runs = 5): number {
  const out: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

export async function run(): Promise<Record<string, unknown>> {
  const rows = [];
  const t0 = Date.parse("2023-01-01T00:00:00Z");
  for (let i = 0; i < ROWS; i++) {
    rows.push({
      id: `INC-${i}`,
      title: `Elevated "5xx" on [checkout] {eu-west} \\ run ${i}`,
      severity: `SEV${(i % 4) + 1}`,
      started_at: new Date(t0 + i * 300_000).toISOString(),
      resolved_at: new Date(t0 + i * 300_000 + 3_600_000).toISOString(),
      services: ["checkout", "payments"],
      description: "Customers saw errors; mitigated by rollback. ".repeat(4),
      team: { name: `team-${i % 12}`, oncall: ["a", "b"], meta: { region: "eu", tags: [[1, 2], [3]] } },
    });
  }
  const text = JSON.stringify(rows);
  if (jsonDepthExceededAt(text) !== -1) throw new Error("the bench document should be within bounds");
  const scanMs = time(() => jsonDepthExceededAt(text));
  const parseMs = time(() => JSON.parse(text));
  const deep = "[".repeat(10_000) + "1" + "]".repeat(10_000);
  const refuseMs = time(() => jsonDepthExceededAt(deep), 20);
  return {
    json_rows: ROWS,
    json_mb: Math.round((text.length / 1024 / 1024) * 10) / 10,
    json_max_depth: MAX_JSON_DEPTH,
    json_depth_scan_ms: Math.round(scanMs),
    json_parse_ms: Math.round(parseMs),
    json_scan_to_parse: Math.round((scanMs / parseMs) * 100) / 100,
    json_refuse_10000_levels_ms: Math.round(refuseMs * 1000) / 1000,
  };
}
