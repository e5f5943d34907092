/**
 * Bounds on time at every entry point: importer rows in every format, incident edits,
 * deploy events, project dates; the configuration; the calendar's guard; the engine-side split.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, test, vi } from "vitest";
import { parseImport } from "@/lib/import/parse";
import { importMappingSchema } from "@/lib/import/sources/generic";
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, QuarterIdError, quarterForInstant, quarterIdFromOrdinal, quarterOrdinal } from "@/lib/metric/calendar";
import { partitionByTimeBounds } from "@/lib/metric/time-bounds";
import { DEFAULT_SETTINGS, type EngineIncident, type Settings } from "@/lib/metric/types";
import { curationPatchSchema } from "@/lib/validation/curation";
import { validateDeployRows } from "@/lib/import/deploys";
import { canonicalRowSchema, RowFailure } from "@/lib/import/row-reader";
import { incidentInputSchema } from "@/lib/validation/incident";
import { projectInputSchema } from "@/lib/validation/project";
import { checkCaseTimes } from "@/scripts/cli/evaluate";
import { calendarTimeBounds, readMaxFutureHours, readTimeMin, TimeBoundsConfigError, timeBounds } from "@/lib/validation/time-bounds";

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "../../fixtures/import", name), "utf8");
const bytes = (s: string) => Buffer.from(s, "utf8");
const HOUR = 3_600_000;
const BEFORE = /is before 1990-01-01T00:00:00\.000Z, the earliest time accepted \(TIME_MIN\)/;
const AFTER = /is after .*, the latest time accepted \(24 hours after now, TIME_MAX_FUTURE_HOURS\)/;

afterEach(() => vi.unstubAllEnvs());

describe("configuration", () => {
  test("defaults: 1990-01-01 and 24 hours after now, both inclusive", () => {
    const now = Date.parse("2026-06-01T12:00:00Z");
    expect(timeBounds(now)).toMatchObject({ min: Date.parse("1990-01-01T00:00:00Z"), max: now + 24 * HOUR });
  });

  test("TIME_MIN and TIME_MAX_FUTURE_HOURS move the bounds", () => {
    vi.stubEnv("TIME_MIN", "2005-03-01");
    vi.stubEnv("TIME_MAX_FUTURE_HOURS", "0");
    const now = Date.parse("2026-06-01T12:00:00Z");
    expect(timeBounds(now)).toMatchObject({ min: Date.parse("2005-03-01T00:00:00Z"), max: now });
  });

  test.each([
    ["TIME_MIN", "yesterday", /TIME_MIN "yesterday" is not an ISO-8601 date or instant/],
    ["TIME_MIN", "1800-01-01", /TIME_MIN "1800-01-01" is before 1902-01-01/],
    ["TIME_MAX_FUTURE_HOURS", "-1", /TIME_MAX_FUTURE_HOURS "-1" must be a number of hours/],
    ["TIME_MAX_FUTURE_HOURS", "a day", /TIME_MAX_FUTURE_HOURS "a day" must be a number of hours/],
  ])("a bad %s (%j) is an error naming it", (name, value, message) => {
    vi.stubEnv(name, value);
    expect(() => timeBounds()).toThrow(TimeBoundsConfigError);
    expect(() => (name === "TIME_MIN" ? readTimeMin() : readMaxFutureHours())).toThrow(message);
  });

  test("TIME_MIN after the latest time accepted is refused", () => {
    vi.stubEnv("TIME_MIN", "2030-01-01");
    expect(() => timeBounds(Date.parse("2026-01-01T00:00:00Z"))).toThrow(/TIME_MIN 2030-01-01T00:00:00.000Z is after the latest time accepted/);
  });
});

describe("importer rows", () => {
  const reader = () => canonicalRowSchema({ source: "t" });
  const row = (over: Record<string, string>) => ({ id: "R1", title: "t", severity: "SEV1", started_at: "2024-01-01T00:00:00Z", ...over });
  const iso = (ms: number) => new Date(ms).toISOString();

  test.each([
    ["started_at", "0000-01-01T00:00:00Z", BEFORE],
    ["started_at", "0001-01-01T00:00:00Z", BEFORE],
    ["started_at", "1969-12-31T23:59:59Z", BEFORE],
    ["started_at", "1970-01-01T00:00:00Z", BEFORE],
    ["started_at", "1989-12-31T23:59:59.999Z", BEFORE],
    ["resolved_at", "9999-12-31T00:00:00Z", AFTER],
    ["impact_end", "2999-01-01T00:00:00Z", AFTER],
    ["detected_at", "1985-05-05T00:00:00+02:00", BEFORE],
  ])("%s %s is refused, naming the column and the value", (column, value, why) => {
    const r = reader().readRow(row({ [column]: value }));
    expect(r).toBeInstanceOf(RowFailure);
    const issue = (r as RowFailure).issues.find((i) => i.column === column)!;
    expect(issue.message.startsWith(`${column} ${new Date(Date.parse(value)).toISOString()} `)).toBe(true);
    expect(issue.message).toMatch(why);
  });

  test("the edges are accepted: 1990-01-01T00:00Z and 23 hours ahead", () => {
    const soon = iso(Date.now() + 23 * HOUR);
    const r = reader().readRow(row({ started_at: "1990-01-01T00:00:00Z", resolved_at: soon }));
    expect(r).not.toBeInstanceOf(RowFailure);
    expect(reader().readRow(row({ started_at: iso(Date.now() + 25 * HOUR) }))).toBeInstanceOf(RowFailure);
  });

  test("the fast path and zod agree on the bounds", () => {
    const min = Date.parse("1990-01-01T00:00:00Z");
    const fast = canonicalRowSchema({ source: "t" });
    const slow = canonicalRowSchema({ source: "t" }, undefined, { fastPath: false });
    fc.assert(
      fc.property(fc.integer({ min: min - 5 * 365 * 24 * HOUR, max: Date.now() + 48 * HOUR }), (ms) => {
        const r = row({ started_at: iso(ms) });
        expect(fast.readRow(r) instanceof RowFailure).toBe(slow.readRow(r) instanceof RowFailure);
      }),
      { numRuns: 200 },
    );
  });

  // One bad time per format, in the format's own shape; each refused with its row, column and reason.
  const canonicalCsv = "id,title,severity,started_at\nY0,x,SEV4,0000-01-01T00:00:00Z\nOK,y,SEV4,2024-01-01T00:00:00Z\n";
  test.each([
    ["canonical CSV", () => parseImport(bytes(canonicalCsv)), 2, "started_at", BEFORE],
    ["canonical JSON", () => parseImport(bytes(JSON.stringify([{ id: "A", title: "t", severity: "SEV1", started_at: "2024-01-01T00:00:00Z", resolved_at: "9999-12-31T00:00:00Z" }]))), 1, "resolved_at", AFTER],
    ["canonical NDJSON", () => parseImport(bytes('{"id":"A","title":"t","severity":"SEV1","started_at":"1969-07-20T20:17:00Z"}\n')), 1, "started_at", BEFORE],
    ["Statuspage", () => parseImport(bytes(statuspageWith("1970-01-01T00:00:00Z"))), 1, "started_at", BEFORE],
    ["PagerDuty", () => parseImport(bytes(firstTimeReplaced(fixture("pagerduty-incidents.csv"), /2024-05-11T15:26:04-07:00/, "1975-05-11T15:26:04-07:00"))), 2, "created_on", BEFORE],
    ["incident.io", () => parseImport(bytes(firstTimeReplaced(fixture("incidentio-incidents.csv"), /2024-05-11T15:30:12.418Z/g, "1980-05-11T15:30:12.418Z"))), 2, "Reported at", BEFORE],
    ["Jira", () => parseImport(bytes(firstTimeReplaced(fixture("jira-incidents.csv"), /11\/May\/24 03:26 PM/, "11/May/85 03:26 PM")), { timezone: "UTC" }), 2, "Created", BEFORE],
    ["generic mapping", () => parseImport(bytes(firstTimeReplaced(fixture("generic-ops-log.csv"), /2024-03-04 09:15/, "1960-03-04 09:15")), { mapping: genericMapping() }), 2, "Opened (UTC)", BEFORE],
  ])("%s: the row is refused with its row, column and reason", async (_name, parse, rowNo, column, why) => {
    const r = await parse();
    const err = r.errors.find((e) => e.row === rowNo);
    expect(err, JSON.stringify(r.errors)).toBeDefined();
    expect(err!.column).toBe(column);
    expect(err!.reason).toMatch(why);
  });

  test("a time zone and wall-clock formats do not get around the bounds", async () => {
    const r = await parseImport(bytes("id,title,severity,started_at\nA,t,SEV1,1969-12-31 23:00\n"), { timezone: "Europe/Berlin" });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].reason).toMatch(/^started_at 1969-12-31T22:00:00.000Z is before/);
  });
});

function statuspageWith(start: string): string {
  return JSON.stringify({
    incidents: [{ id: "sp1", name: "Degraded", impact: "minor", status: "resolved", created_at: start, started_at: start, resolved_at: null, shortlink: "https://stspg.io/x", incident_updates: [], components: [] }],
  });
}

function firstTimeReplaced(text: string, pattern: RegExp, by: string): string {
  expect(text.search(pattern)).toBeGreaterThanOrEqual(0);
  return text.replace(pattern, by);
}

function genericMapping() {
  return importMappingSchema.parse({
    columns: { Ticket: "id", Headline: "title", Sev: "severity", "Opened (UTC)": "started_at", "Closed (UTC)": "resolved_at" },
    timezone: "UTC",
    source: "opslog",
  });
}

describe("typed entry points", () => {
  test("incident edits (PATCH /api/incidents, forms): every instant field", () => {
    const r = curationPatchSchema.safeParse({ impactStart: "0000-01-01T00:00:00Z", impactEnd: "9999-12-31T00:00:00Z", detectedAt: 0, mitigatedAt: "2024-01-01T00:00:00Z" });
    expect(r.success).toBe(false);
    const byField = Object.fromEntries(r.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(byField.impactStart).toMatch(/^Impact start 0000-01-01T00:00:00.000Z is before 1990-01-01/);
    expect(byField.impactEnd).toMatch(/^Impact end 9999-12-31T00:00:00.000Z is after/);
    expect(byField.detectedAt).toMatch(/^Detected at 1970-01-01T00:00:00.000Z is before/);
    expect(byField.mitigatedAt).toBeUndefined();
    expect(curationPatchSchema.safeParse({ impactStart: "2024-01-01T00:00:00Z", impactEnd: null }).success).toBe(true);
  });

  test("incidents built in code", () => {
    const base = { source: "s", sourceId: "1", title: "t", description: null, severity: "SEV1", status: null, url: null, sourceServices: [], customFields: {}, curated: {} };
    expect(incidentInputSchema.safeParse({ ...base, startedAt: Date.parse("2024-01-01T00:00:00Z"), resolvedAt: null }).success).toBe(true);
    const r = incidentInputSchema.safeParse({ ...base, startedAt: Date.parse("1969-01-01T00:00:00Z"), resolvedAt: Date.parse("9999-01-01T00:00:00Z") });
    expect(r.error!.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^startedAt 1969-01-01.* is before/), expect.stringMatching(/^resolvedAt 9999-01-01.* is after/)]);
  });

  test("deploy events (POST /api/deploys, cli deploys import): row, field and value", () => {
    const { deploys, errors } = validateDeployRows([
      { time: "2024-05-01T10:00:00Z", service: "api" },
      { time: "1969-07-20T20:17:00Z", service: "api" },
      { started_at: "0001-01-01T00:00:00Z", time: "9999-12-31T00:00:00Z", service: "api" },
      { time: 1, service: "api" },
    ]);
    expect(deploys).toHaveLength(1);
    expect(errors).toEqual([
      { row: 2, field: "finishedAt", message: expect.stringMatching(/^finishedAt 1969-07-20T20:17:00.000Z is before 1990/) },
      { row: 3, field: "startedAt", message: expect.stringMatching(/^startedAt 0001-01-01T00:00:00.000Z is before 1990/) },
      { row: 3, field: "finishedAt", message: expect.stringMatching(/^finishedAt 9999-12-31T00:00:00.000Z is after/) },
      { row: 4, field: "finishedAt", message: expect.stringMatching(/^finishedAt 1970-01-01T00:00:00.001Z is before 1990/) },
    ]);
  });

  test("project delivery dates", () => {
    const p = { slug: "auto-rollback", name: "Automatic rollbacks", status: "delivered" };
    expect(projectInputSchema.safeParse({ ...p, deliveredOn: "2024-03-01" }).success).toBe(true);
    const early = projectInputSchema.safeParse({ ...p, deliveredOn: "1969-03-01" });
    expect(early.error!.issues).toMatchObject([{ path: ["deliveredOn"], message: "delivery date 1969-03-01 is before 1990-01-01, the earliest date accepted (TIME_MIN)" }]);
    const late = projectInputSchema.safeParse({ ...p, status: "planned", deliveredOn: "9999-01-01" });
    expect(late.error!.issues[0].message).toMatch(/^delivery date 9999-01-01 is after \d{4}-12-31, more than 10 years ahead$/);
  });
});

describe("cli evaluate's case files", () => {
  const caseWith = (over: Record<string, unknown>) =>
    ({
      policy: {},
      asOf: "2028-01-01T00:00:00Z",
      range: { from: "FY2027-Q1", to: "FY2027-Q4" },
      incidents: [{ id: "a", severity: "SEV1", trigger: "change", startedAt: "2027-02-01T00:00:00Z", resolvedAt: null, ...over }],
    }) as unknown as Parameters<typeof checkCaseTimes>[0];

  test("a case may lie in the future of the clock (it has its own asOf)", () => {
    expect(() => checkCaseTimes(caseWith({}), "case.json")).not.toThrow();
  });

  test("a time before TIME_MIN is refused, naming the incident and field", () => {
    expect(() => checkCaseTimes(caseWith({ impactStart: "1969-01-01T00:00:00Z" }), "case.json")).toThrow(
      "case.json is invalid: incidents.0.impactStart (id a) 1969-01-01T00:00:00.000Z is before 1990-01-01T00:00:00.000Z, the earliest time accepted (TIME_MIN)",
    );
  });
});

describe("the calendar never names a year it cannot parse back", () => {
  const variants: Settings[] = [
    DEFAULT_SETTINGS,
    { ...DEFAULT_SETTINGS, fiscalYearStartMonth: 2, fiscalYearLabel: "end", timezone: "Pacific/Kiritimati" },
    { ...DEFAULT_SETTINGS, fiscalYearStartMonth: 12, fiscalYearLabel: "start", timezone: "Pacific/Pago_Pago" },
  ];

  test("no quarter id for a fiscal year outside the calendar (year 0 was FY00-1-Q4)", () => {
    expect(() => quarterIdFromOrdinal(-1)).toThrow(QuarterIdError);
    expect(() => quarterIdFromOrdinal((MAX_FISCAL_YEAR + 1) * 4)).toThrow(/outside the calendar/);
    expect(() => quarterForInstant(Date.parse("0000-01-01T00:00:00Z"), DEFAULT_SETTINGS)).toThrow(/0000-01-01T00:00:00.000Z \(fiscal year 0\) is outside the calendar/);
  });

  test("every instant the bounds can accept has a quarter whose id round-trips", () => {
    const lowest = Date.UTC(MIN_FISCAL_YEAR + 1, 0, 1); // the earliest TIME_MIN allowed
    const highest = calendarTimeBounds().max;
    fc.assert(
      fc.property(fc.integer({ min: lowest, max: highest }), fc.constantFrom(...variants), (ms, settings) => {
        const q = quarterForInstant(ms, settings);
        expect(quarterIdFromOrdinal(quarterOrdinal(q.id))).toBe(q.id);
        expect(ms >= q.start && ms < q.end).toBe(true);
      }),
      { numRuns: 300 },
    );
    for (const settings of variants) for (const ms of [lowest, highest]) expect(() => quarterForInstant(ms, settings)).not.toThrow();
  });
});

describe("partitionByTimeBounds", () => {
  const inc = (id: string, over: Partial<EngineIncident> = {}): EngineIncident => ({
    id,
    severity: "SEV1",
    trigger: "change",
    startedAt: Date.parse("2024-01-01T00:00:00Z"),
    resolvedAt: null,
    impactStart: null,
    impactEnd: null,
    customerImpactPct: null,
    affectedFeatures: [],
    services: [],
    override: null,
    analysisStatus: "final",
    ...over,
  });
  const bounds = { min: Date.parse("1990-01-01T00:00:00Z"), max: Date.parse("2030-01-01T00:00:00Z") };

  test("nothing out of bounds: the same array back", () => {
    const list = [inc("1"), inc("2")];
    expect(partitionByTimeBounds(list, bounds).kept).toBe(list);
  });

  test("each bad incident listed once, by its first bad field; order kept", () => {
    const list = [
      inc("1"),
      inc("2", { startedAt: -62167219200000 }),
      inc("3", { mitigatedAt: Date.parse("2031-01-01T00:00:00Z") }),
      inc("4", { impactStart: Number.NaN }),
      inc("5"),
      inc("6", { startedAt: 1e20, resolvedAt: 1e20 }),
    ];
    const { kept, excluded } = partitionByTimeBounds(list, bounds);
    expect(kept.map((i) => i.id)).toEqual(["1", "5"]);
    expect(excluded.map((e) => [e.id, e.field, e.value])).toEqual([
      ["2", "started_at", "0000-01-01T00:00:00.000Z"],
      ["3", "mitigated_at", "2031-01-01T00:00:00.000Z"],
      ["4", "impact_start", "NaN"],
      ["6", "started_at", "100000000000000000000"],
    ]);
    expect(excluded[2].reason).toBe("impact_start NaN is not a date/time");
    expect(excluded[3].reason).toBe("started_at 100000000000000000000 is after 2030-01-01T00:00:00.000Z, the latest time accepted");
  });
});
