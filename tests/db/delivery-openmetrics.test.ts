import { describe, expect, test } from "vitest";
import { setTarget, getSettings } from "@/db/queries/config";
import { createApiToken } from "@/db/queries/tokens";
import { GET } from "@/app/api/metrics/openmetrics/route";
import { quarterForInstant } from "@/lib/metric/calendar";
import { saveChannel } from "@/server/delivery/channels";
import { sharedWorkerTestDb } from "../support/db";
import { addIncident, HOUR } from "./incidents-helpers";

const t = sharedWorkerTestDb();
const admin = { id: "u-admin", label: "admin@example.com" };

function scrape(token?: string): Promise<Response> {
  return GET(new Request("http://127.0.0.1:3000/api/metrics/openmetrics", { headers: token ? { authorization: `Bearer ${token}` } : {} }), {});
}

/** `name{labels} value` lines → "name{labels}" → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

describe("GET /api/metrics/openmetrics", () => {
  test("without a token: 401, and no figures", async () => {
    const res = await scrape();
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain("deploy_safety_");
  });

  test("with a viewer token: OpenMetrics text with the quarter's hours, upper bound, target, untriaged count, completeness and delivery health", async () => {
    const now = Date.now();
    const q = quarterForInstant(now, getSettings(t.db)).id;
    addIncident(t.db, { startedAt: now - 5 * HOUR, resolvedAt: now - 3 * HOUR, trigger: "change", severity: "SEV1", sourceId: "INC-OM" });
    addIncident(t.db, { startedAt: now - 9 * HOUR, resolvedAt: now - 8 * HOUR, trigger: "unknown", severity: "SEV1", sourceId: "INC-OPEN" });
    setTarget(t.db, q, 40, { actor: admin });
    saveChannel(t.db, { kind: "slack", name: "ops", secret: "https://hooks.slack.com/services/T/B/x" }, admin);
    const { token } = createApiToken(t.db, { name: "grafana", role: "viewer", createdBy: admin });
    const res = await scrape(token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    const text = await res.text();
    expect(text.trimEnd().endsWith("# EOF")).toBe(true);
    expect(text).toContain("# TYPE deploy_safety_impact_hours gauge");
    const s = samples(text);
    expect(s.get(`deploy_safety_impact_hours{quarter="${q}",status="in_progress"}`)).toBeCloseTo(2, 6);
    expect(s.get(`deploy_safety_impact_upper_bound_hours{quarter="${q}"}`)).toBeCloseTo(3, 6);
    expect(s.get(`deploy_safety_target_hours{quarter="${q}"}`)).toBe(40);
    expect(s.get(`deploy_safety_counted_incidents{quarter="${q}"}`)).toBe(1);
    expect(s.get(`deploy_safety_untriaged_incidents{quarter="${q}"}`)).toBe(1);
    expect(s.get(`deploy_safety_triage_completeness_ratio{quarter="${q}"}`)).toBeCloseTo(0.5, 6);
    expect(s.get(`deploy_safety_current_quarter_info{quarter="${q}"}`)).toBe(1);
    expect(s.get(`deploy_safety_forecast_hours{quarter="${q}"}`)).toBeGreaterThan(2);
    expect(s.get(`deploy_safety_delivery_channel_consecutive_failures{channel="ops",kind="slack"}`)).toBe(0);
    expect(s.get(`deploy_safety_delivery_outbox_messages{status="pending"}`)).toBe(0);
    // The webhook URL is a secret: never in the output.
    expect(text).not.toContain("hooks.slack.com");
  });
});
