import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseImport, parseImportText } from "@/lib/import/parse";
import { guessMapping, importMappingSchema, type ImportMappingInput } from "@/lib/import/sources/generic";
import { applyMapping, isTruthyFlag, placeholderTest, type SourceMapping } from "@/lib/import/sources/mapping";
import { statuspageMapping } from "@/lib/import/sources/statuspage";

const LLM = fs.readFileSync(path.join(__dirname, "../../fixtures/import/llm-status-flags.csv"));

/** What the editor would hand over after the user accepted its guesses. */
function llmMapping(extra: Partial<ImportMappingInput> = {}) {
  const text = LLM.toString("utf8");
  const headers = text.split("\n")[0].split(",");
  const samples: Record<string, string[]> = {};
  for (const line of text.trim().split("\n").slice(1)) {
    line.split(",").forEach((v, i) => {
      const h = headers[i];
      samples[h] ??= [];
      if (!samples[h].includes(v)) samples[h].push(v);
    });
  }
  const { mapping, guessed } = guessMapping(headers, samples);
  return { mapping: importMappingSchema.parse({ ...mapping, ...extra }), guessed, headers };
}

describe("flag columns", () => {
  test("a one-hot 0/1 table gives services named by the headers, never 0 or 1", async () => {
    const { mapping } = llmMapping();
    const parsed = await parseImport(LLM, { format: "generic", mapping });
    expect(parsed.errors).toEqual([]);
    const services = Object.fromEntries(parsed.rows.map((r) => [r.incident.sourceId, r.incident.sourceServices]));
    expect(services).toEqual({
      "oai-0001": ["ChatGPT"],
      "oai-0002": ["API", "Playground"],
      "oai-0003": ["Sora"],
      "oai-0004": ["API", "ChatGPT", "Playground"],
      "oai-0005": ["ChatGPT", "Labs"],
      "oai-0006": [],
    });
    const all = parsed.rows.flatMap((r) => r.incident.sourceServices);
    expect(all).not.toContain("0");
    expect(all).not.toContain("1");
    // Flag columns are consumed, not kept as custom fields "API: 1".
    expect(parsed.rows[0].incident.customFields).toEqual({});
  });

  test.each([
    ["1", true],
    ["true", true],
    ["YES", true],
    [" x ", true],
    ["y", true],
    ["0", false],
    ["false", false],
    ["no", false],
    ["", false],
    ["2", false],
  ])("cell %j is truthy: %s", (cell, truthy) => {
    expect(isTruthyFlag(cell)).toBe(truthy);
  });

  test("flags add to a mapped list column and to features, and a value map renames a flag's header", async () => {
    const csv = "id,title,severity,started_at,svc,Web,Mobile,Search\nA,t,SEV1,2024-01-01T00:00:00Z,core;web,yes,x,no\n";
    const mapping = importMappingSchema.parse({
      columns: { id: "id", title: "title", severity: "severity", started_at: "started_at", svc: "services", Web: "flag:services", Mobile: "flag:services", Search: "flag:affected_features" },
      values: { services: { web: "Web", Mobile: "mobile-app" } },
    });
    const parsed = await parseImportText(csv, { format: "generic", mapping });
    expect(parsed.errors).toEqual([]);
    // "web" (mapped to "Web") and the Web flag merge into one value.
    expect(parsed.rows[0].incident.sourceServices).toEqual(["core", "Web", "mobile-app"]);
    expect(parsed.rows[0].incident.curated.affectedFeatures ?? []).toEqual([]);
  });
});

describe("value maps and ignored values for list columns", () => {
  const base = { id: "id", title: "title", severity: "severity", started_at: "started_at", components: "services" } as const;
  const csv = [
    "id,title,severity,started_at,components",
    "1,a,SEV1,2024-01-01T00:00:00Z,API;api-gateway;Visit www.githubstatus.com for more information",
    "2,b,SEV1,2024-01-02T00:00:00Z,N/A",
    "3,c,SEV1,2024-01-03T00:00:00Z,Git Operations;legacy-box",
  ].join("\n");

  test("renames and merges values, drops built-in placeholders and the user's own", async () => {
    const mapping = importMappingSchema.parse({ columns: base, values: { services: { "api-gateway": "API", "Git Operations": "git" } }, ignoreValues: ["Legacy-Box"] });
    const parsed = await parseImportText(csv, { format: "generic", mapping });
    expect(parsed.rows.map((r) => r.incident.sourceServices)).toEqual([["API"], [], ["git"]]);
  });

  test("a value mapped to an ignored value is dropped too", async () => {
    const mapping = importMappingSchema.parse({ columns: base, values: { services: { API: "n/a" } } });
    const parsed = await parseImportText(csv, { format: "generic", mapping });
    expect(parsed.rows[0].incident.sourceServices).toEqual(["api-gateway"]);
  });

  test("placeholderTest: built-ins plus extras, case- and space-insensitive", () => {
    const t = placeholderTest(["Other  stuff"]);
    for (const v of ["n/a", "NA", "None", "-", "—", "?", "Visit www.githubstatus.com for more information", "See status.example.com for more information.", "other stuff"]) expect(t(v)).toBe(true);
    for (const v of ["API", "Notifications", "Visitor tracking", "nan"]) expect(t(v)).toBe(false);
  });

  test("the GitHub Statuspage archive: no incident gets the 'Visit www.githubstatus.com …' placeholder as a service", async () => {
    const bytes = fs.readFileSync(path.join(__dirname, "../../fixtures/import/github-status-incidents.json"));
    const raw = JSON.parse(bytes.toString("utf8")) as { components?: { name: string }[] }[];
    // The archive really has it: the check below could fail.
    expect(raw.some((i) => i.components?.some((c) => /for more information/.test(c.name)))).toBe(true);
    const parsed = await parseImport(bytes);
    const services = new Set(parsed.rows.flatMap((r) => r.incident.sourceServices));
    expect([...services].filter((s) => /for more information/i.test(s))).toEqual([]);
    expect(services.has("Git Operations")).toBe(true);
  });

  test("the Statuspage placeholder component does not become a service", () => {
    const rec = { id: "x", name: "n", impact: "minor", created_at: "2024-01-01T00:00:00Z", components: [{ name: "Visit www.githubstatus.com for more information" }, { name: "Git Operations" }] };
    expect(applyMapping(statuspageMapping as SourceMapping, rec).row.services).toEqual(["Git Operations"]);
  });
});

describe("header guesses", () => {
  test("the LLM table: id, title, severity, times, url guessed; the 0/1 columns as service flags", () => {
    const { mapping, guessed } = llmMapping();
    expect(mapping.columns).toEqual({
      incident_id: "id",
      title: "title",
      impact: "severity",
      created: "started_at",
      resolved: "resolved_at",
      API: "flag:services",
      ChatGPT: "flag:services",
      Sora: "flag:services",
      Playground: "flag:services",
      Labs: "flag:services",
      url: "url",
    });
    // `title` and `url` are canonical names already, not guesses.
    expect(Object.keys(guessed).sort()).toEqual(["API", "ChatGPT", "Labs", "Playground", "Sora", "created", "impact", "incident_id", "resolved"].sort());
  });

  test.each([
    [["Key", "Summary", "Priority", "Start", "End", "Components", "Link"], ["id", "title", "severity", "started_at", "resolved_at", "services", "url"]],
    [["ID", "Name", "Sev", "Started", "Ended", "Service", "URL"], ["id", "title", "severity", "started_at", "resolved_at", "services", "url"]],
    [["Ticket", "Headline", "Sev", "Opened (UTC)", "Closed (UTC)", "Systems"], ["id", "title", "severity", "started_at", "resolved_at", "services"]],
  ])("%j → %j", (headers, fields) => {
    const { mapping } = guessMapping(headers);
    expect(headers.map((h) => mapping.columns[h])).toEqual(fields);
  });

  test("each field is guessed once; unknown columns stay custom; one 0/1 column alone is not a flag", () => {
    const { mapping } = guessMapping(["id", "key", "notes", "Paged"], { Paged: ["0", "1"] });
    expect(mapping.columns).toEqual({ id: "id", key: "custom", notes: "custom", Paged: "custom" });
  });
});

describe("the mapping schema", () => {
  test("an unknown target is refused with a message naming the choices", () => {
    const r = importMappingSchema.safeParse({ columns: { a: "flag:projects" } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/flag:services/);
  });
});
