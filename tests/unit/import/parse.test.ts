import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { decodeText, ImportFileError } from "@/lib/import/input";
import { parseImport } from "@/lib/import/parse";
import { importMappingSchema } from "@/lib/import/sources/generic";
import { parseInstant } from "@/lib/import/time";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "../../fixtures/import", name));
const bytes = (s: string) => Buffer.from(s, "utf8");

describe("canonical", () => {
  test("CSV: fields, lists, custom columns, curated values", async () => {
    const r = await parseImport(fixture("canonical-sample.csv"));
    expect(r.format).toBe("canonical");
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(3);
    const [a, b, c] = r.rows.map((x) => x.incident);
    expect(a).toMatchObject({
      source: "import",
      sourceId: "INC-100",
      severity: "SEV2",
      startedAt: Date.parse("2024-02-01T10:00:00Z"),
      sourceServices: ["checkout", "payments"],
      customFields: { team: "payments-team" },
      curated: { trigger: "change", changeType: "code_deploy", customerImpactPct: 12.5, analysisStatus: "final", affectedFeatures: ["checkout"] },
    });
    expect(b.startedAt).toBe(Date.parse("2024-02-03T07:00:00Z"));
    expect(c.resolvedAt).toBeNull();
    expect(r.rows.map((x) => x.row)).toEqual([2, 3, 4]);
  });

  test("every failing row is reported with row, source id, column and a plain reason", async () => {
    const r = await parseImport(fixture("canonical-invalid.csv"));
    expect(r.rows.map((x) => x.incident.sourceId)).toEqual(["INC-200"]);
    const byId = Object.fromEntries(r.errors.map((e) => [e.sourceId, e]));
    expect(r.errors).toHaveLength(4);
    expect(byId["INC-201"]).toMatchObject({ row: 3, column: "started_at" });
    expect(byId["INC-201"].reason).toMatch(/no UTC offset/);
    expect(byId["INC-202"]).toMatchObject({ row: 4, column: "resolved_at" });
    expect(byId["INC-202"].reason).toMatch(/before started_at/);
    expect(byId["INC-203"]).toMatchObject({ row: 5, column: "customer_impact_pct" });
    expect(byId["INC-203"].reason).toMatch(/140.*between 0 and 100/);
    expect(byId["INC-204"]).toMatchObject({ row: 6, column: "title", reason: "title is missing" });
  });

  test("a stated time zone reads times without an offset", async () => {
    const r = await parseImport(fixture("canonical-invalid.csv"), { timezone: "Europe/Berlin" });
    expect(r.errors.find((e) => e.sourceId === "INC-201")).toBeUndefined();
    expect(r.rows.find((x) => x.incident.sourceId === "INC-201")!.incident.startedAt).toBe(Date.parse("2024-02-01T09:00:00Z"));
  });

  test("JSON array and NDJSON", async () => {
    const objs = [
      { id: "A", title: "t", severity: "SEV1", started_at: "2024-01-01T00:00:00Z", services: ["x", "y"], customer_impact_pct: 5, extra: { k: 1 } },
      { id: "B", title: "u", severity: "SEV3", started_at: "2024-01-02T00:00:00Z", resolved_at: null },
    ];
    const json = await parseImport(bytes(JSON.stringify(objs)));
    expect(json.container).toBe("json");
    expect(json.rows[0].incident).toMatchObject({ sourceServices: ["x", "y"], customFields: { extra: '{"k":1}' }, curated: { customerImpactPct: 5 } });
    const nd = await parseImport(bytes(objs.map((o) => JSON.stringify(o)).join("\n")));
    expect(nd.container).toBe("ndjson");
    expect(nd.rows.map((r) => r.incident.sourceId)).toEqual(["A", "B"]);
  });
});

describe("source formats", () => {
  test("Statuspage archive: 3 incidents resolve before they start", async () => {
    const r = await parseImport(fixture("github-status-incidents.json"));
    expect(r.format).toBe("statuspage");
    expect(r.total).toBe(1282);
    expect(r.rows).toHaveLength(1279);
    expect(r.errors.map((e) => e.sourceId).sort()).toEqual(["nk9gdvl03ztg", "qb2vmff9bnf5", "qrrdvssfmrs2"]);
    expect(r.errors.every((e) => e.column === "resolved_at")).toBe(true);
    const last = r.rows.at(-1)!.incident;
    expect(last).toMatchObject({ sourceId: "w554d74dv18j", title: "Incident with API Requests", severity: "minor", url: "https://stspg.io/q0gl6k79wd8n", sourceServices: ["API Requests"] });
    expect(last.description).toMatch(/^We are investigating/);
    expect(last.description).toMatch(/This incident has been resolved\.$/);
    expect(new Set(r.rows.map((x) => x.incident.severity))).toEqual(new Set(["none", "minor", "major", "critical"]));
  });

  test("PagerDuty CSV", async () => {
    const r = await parseImport(fixture("pagerduty-incidents.csv"));
    expect(r.format).toBe("pagerduty");
    expect(r.errors).toEqual([]);
    const [a, , c, d] = r.rows.map((x) => x.incident);
    expect(a).toMatchObject({
      source: "pagerduty",
      sourceId: "Q0RIJJZL24RC6W",
      title: "[FIRING:1] CheckoutAPIHighErrorRate checkout-api (5xx > 5%)",
      severity: "P1",
      startedAt: Date.parse("2024-05-11T22:26:04Z"),
      sourceServices: ["checkout-api"],
      url: "https://acme.pagerduty.com/incidents/Q0RIJJZL24RC6W",
    });
    expect(a.customFields).toMatchObject({ incident_number: "1842", escalation_policy_name: "Payments On-Call", urgency: "high" });
    expect(c.severity).toBe("low"); // no priority: urgency
    expect(c.title).toBe('Disk usage 91% on db-replica-3, "warn" threshold');
    expect(d.resolvedAt).toBeNull();
  });

  test("incident.io export: custom fields and custom timestamps are columns", async () => {
    const r = await parseImport(fixture("incidentio-incidents.csv"));
    expect(r.format).toBe("incidentio");
    expect(r.errors).toEqual([]);
    const a = r.rows[0].incident;
    expect(a).toMatchObject({
      source: "incident.io",
      sourceId: "01HXA7Q9R3K2M5N8P0S4T6V8W1",
      title: "Payments failing for EU cards",
      severity: "Major",
      status: "Closed",
      sourceServices: ["payment-router", "checkout-api"],
      resolvedAt: Date.parse("2024-05-11T16:10:00Z"),
      curated: { impactStart: Date.parse("2024-05-11T15:24:00Z"), mitigatedAt: Date.parse("2024-05-11T15:52:30Z") },
    });
    expect(a.customFields).toMatchObject({ reference: "INC-311", "Root cause": "Config change", "Customer impact": "High" });
    expect(r.rows[2].incident.sourceServices).toEqual(["notifications", "mobile-gateway"]);
  });

  test("Jira CSV: repeated columns, custom fields, locale dates need a time zone", async () => {
    const without = await parseImport(fixture("jira-incidents.csv"));
    expect(without.format).toBe("jira");
    expect(without.rows).toHaveLength(0);
    expect(without.errors[0]).toMatchObject({ row: 2, sourceId: "OPS-1421", column: "Created" });
    expect(without.errors[0].reason).toMatch(/no UTC offset/);

    const r = await parseImport(fixture("jira-incidents.csv"), { timezone: "America/New_York" });
    expect(r.errors).toEqual([]);
    const a = r.rows[0].incident;
    expect(a).toMatchObject({
      source: "jira",
      sourceId: "OPS-1421",
      severity: "Sev 1",
      startedAt: Date.parse("2024-05-11T19:26:00Z"),
      resolvedAt: Date.parse("2024-05-11T20:02:00Z"),
      sourceServices: ["checkout-api", "payment-router"],
      curated: { changeType: "code_deploy", customerImpactPct: 35, impactStart: Date.parse("2024-05-11T19:20:00Z") },
    });
    expect(a.description).toContain("Rolled back at 16:00.");
    expect(a.customFields).toMatchObject({ Labels: "postmortem; customer-facing", "Custom field (Root cause)": "Null dereference" });
    expect(r.rows[1].incident.severity).toBe("Sev 3");
  });

  test("forcing a format that doesn't fit names the missing columns", async () => {
    await expect(parseImport(fixture("canonical-sample.csv"), { format: "jira" })).rejects.toThrow(/Summary/);
  });

  test("any other CSV needs a mapping; with one, values are normalised", async () => {
    const unmapped = await parseImport(fixture("generic-ops-log.csv"));
    expect(unmapped).toMatchObject({ format: "generic", needsMapping: true, rows: [], errors: [] });
    expect(unmapped.samples.Sev).toEqual(["Sev 2", "Sev 3", "sev 4"]);

    const mapping = importMappingSchema.parse({
      columns: { Ticket: "id", Headline: "title", Sev: "severity", "Opened (UTC)": "started_at", "Closed (UTC)": "resolved_at", Systems: "services", Cause: "trigger" },
      values: { severity: { "Sev 2": "SEV2", "Sev 3": "SEV3", "Sev 4": "SEV4" }, trigger: { deploy: "change", config: "change" } },
      listSeparator: "|",
      timezone: "UTC",
      source: "opslog",
    });
    const r = await parseImport(fixture("generic-ops-log.csv"), { mapping });
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => [x.incident.severity, x.incident.curated.trigger])).toEqual([
      ["SEV2", "change"],
      ["SEV3", "change"],
      ["SEV4", "other"],
    ]);
    expect(r.rows[0].incident).toMatchObject({ source: "opslog", sourceServices: ["payments", "checkout"], startedAt: Date.parse("2024-03-04T09:15:00Z") });
  });
});

describe("bad files get a clear error", () => {
  test.each([
    ["empty", new Uint8Array(0), /empty/],
    ["whitespace", bytes("  \n\n"), /empty/],
    ["binary", Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xff, 0x13]), /binary/],
    ["UTF-16 without BOM", Buffer.from("id,title,severity\nA,b,c\n", "utf16le"), /UTF-16/],
    ["invalid UTF-8", Buffer.from([0x69, 0x64, 0x2c, 0x74, 0xe9, 0x74, 0x65, 0x0a]), /UTF-8/],
  ])("%s", (_name, input, message) => {
    expect(() => decodeText(input)).toThrow(ImportFileError);
    expect(() => decodeText(input)).toThrow(message);
  });

  test("over the size limit", () => {
    expect(() => decodeText(bytes("x".repeat(2000)), 1000)).toThrow(/import limit/);
  });

  test("UTF-16 with a BOM is read", async () => {
    const text = "id,title,severity,started_at\nA,b,SEV1,2024-01-01T00:00:00Z\n";
    const r = await parseImport(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    expect(r.rows).toHaveLength(1);
  });

  test("a million columns is refused without reading the rows", async () => {
    const header = Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(",");
    const t0 = performance.now();
    await expect(parseImport(bytes(`${header}\n1,2,3\n`))).rejects.toThrow(/columns/);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  test("header only, and JSON that isn't incidents", async () => {
    await expect(parseImport(bytes("id,title,severity,started_at\n"))).rejects.toThrow(/no incidents/);
    await expect(parseImport(bytes("[]"))).rejects.toThrow(/no incidents/);
    await expect(parseImport(bytes('{"broken": '))).rejects.toThrow(/not valid JSON/);
  });

  test("an unknown time zone", async () => {
    await expect(parseImport(fixture("canonical-sample.csv"), { timezone: "Mars/Olympus" })).rejects.toThrow(/Unknown time zone/);
  });
});

describe("helpers", () => {
  test("parseInstant", () => {
    expect(parseInstant("2024-02-01T10:00:00+0200")).toEqual({ ok: true, value: Date.parse("2024-02-01T08:00:00Z") });
    expect(parseInstant("2024-02-30T10:00:00Z").ok).toBe(false);
    expect(parseInstant("11/May/24 03:26 PM", { timezone: "UTC", formats: ["dd/MMM/yy hh:mm a"] })).toEqual({ ok: true, value: Date.parse("2024-05-11T15:26:00Z") });
  });
});
