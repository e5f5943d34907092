import { describe, expect, test } from "vitest";
import { toDrillDown } from "@/lib/charts/drilldown";
import { inc, run, t } from "./fixtures";

const settings = { maturityDays: 30, timezone: "UTC" };

describe("drill-down: what holds a quarter provisional and when it turns final (issue 15)", () => {
  const incidents = [
    inc("done", "2024-07-10T00:00:00Z", 4),
    inc("pending-analysis", "2024-07-12T00:00:00Z", 2, { analysisStatus: "pending" }),
    inc("untriaged", "2024-08-01T00:00:00Z", 1, { trigger: "unknown" }),
    inc("other", "2024-08-02T00:00:00Z", 1, { trigger: "other" }),
  ];

  test("rows carry their hold reasons; settled and non-candidate incidents carry none", () => {
    const asOf = "2024-10-15T00:00:00Z"; // FY2024-Q3 ended 2024-10-01, matures 2024-10-31
    const a = run(incidents, { asOf });
    const q = a.quarters.find((x) => x.quarter === "FY2024-Q3")!;
    expect(q.status).toBe("provisional");
    const d = toDrillDown("FY2024-Q3", a.incidents, { engine: incidents, quarter: q, settings, asOf: t(asOf) });
    const holds = Object.fromEntries([...d.counted, ...d.pending].map((r) => [r.id, r.holds]));
    expect(holds).toEqual({ done: [], "pending-analysis": ["awaiting_analysis"], untriaged: ["untriaged"] });
    expect(d.finality).toMatchObject({ status: "provisional", maturing: true, holding: 2, maturesAt: "2024-10-31T00:00:00.000Z" });
    expect(d.finality!.text).toBe(
      "Provisional: becomes final on 2024-10-31 (the maturity setting, 30 days after the quarter ends) if the 2 incidents flagged below are triaged, analysed and resolved by then; otherwise once they are.",
    );
  });

  test("past maturity, only the flagged incidents hold it; settled, it is final", () => {
    const asOf = "2024-12-15T00:00:00Z";
    const late = run(incidents, { asOf });
    const q = late.quarters.find((x) => x.quarter === "FY2024-Q3")!;
    const d = toDrillDown("FY2024-Q3", late.incidents, { engine: incidents, quarter: q, settings, asOf: t(asOf) });
    expect(d.finality!.text).toMatch(/^Provisional: matured on 2024-10-31 .*; becomes final once the 2 incidents flagged below are triaged/);

    const settled = incidents.filter((i) => i.id === "done" || i.id === "other");
    const fin = run(settled, { asOf });
    const fq = fin.quarters.find((x) => x.quarter === "FY2024-Q3")!;
    const fd = toDrillDown("FY2024-Q3", fin.incidents, { engine: settled, quarter: fq, settings, asOf: t(asOf) });
    expect(fd.finality).toMatchObject({ status: "final", holding: 0 });
    expect(fd.finality!.text).toMatch(/^Final: matured on 2024-10-31/);
  });

  test("without context the drill-down still works and says nothing about finality", () => {
    const a = run(incidents, { asOf: "2024-10-15T00:00:00Z" });
    const d = toDrillDown("FY2024-Q3", a.incidents);
    expect(d.finality).toBeNull();
    expect(d.counted.find((r) => r.id === "pending-analysis")?.holds).toEqual([]);
  });
});
