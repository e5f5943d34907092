import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openMigratedDatabase } from "@/db/client";
import { getImportPreset, listImportPresets, saveImportPreset } from "@/db/queries/imports";
import { auditLog, incidentCuration, incidents } from "@/db/schema";
import { importMappingSchema } from "@/lib/import/sources/generic";

const exec = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const FIXTURE = path.join(ROOT, "tests/fixtures/import/llm-status-flags.csv");
let dir: string;
let dbUrl: string;

/** Runs the real CLI the way a person would; never throws, returns what it printed. */
async function cli(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = exec(path.join(ROOT, "node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/cli.ts", ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: dbUrl } });
  child.child.stdin?.end(stdin ?? "");
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function withDb<T>(fn: (db: ReturnType<typeof openMigratedDatabase>) => T): T {
  const db = openMigratedDatabase(dbUrl);
  try {
    return fn(db);
  } finally {
    db.$client.close();
  }
}

const LLM_MAPPING = importMappingSchema.parse({
  columns: {
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
  },
  source: "openai-status",
  timezone: "UTC",
});

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-presets-"));
  dbUrl = `file:${path.join(dir, "cli.sqlite")}`;
  withDb((db) => saveImportPreset(db, "LLM status", LLM_MAPPING, { label: "test" }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("cli presets", () => {
  test("list names each preset with its source and time zone; show prints the mapping", async () => {
    const list = await cli(["presets", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^LLM status\tsource=openai-status\ttimezone=UTC\t11 column\(s\) mapped/m);
    const show = await cli(["presets", "show", "LLM status"]);
    expect(JSON.parse(show.stdout).mapping).toEqual(LLM_MAPPING);
    const missing = await cli(["presets", "show", "nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no preset named "nope" (presets: LLM status)');
  });

  test("export to a file, import it back under another name from stdin: the same mapping, audited", async () => {
    const out = path.join(dir, "llm.json");
    const exp = await cli(["presets", "export", "LLM status", "--out", out]);
    expect(exp.code).toBe(0);
    const file = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(file).toMatchObject({ kind: "deploy-safety.import-preset", version: 1, name: "LLM status", mapping: { source: "openai-status", timezone: "UTC" } });
    const imp = await cli(["presets", "import"], JSON.stringify({ ...file, name: "LLM copy" }));
    expect(imp.code).toBe(0);
    expect(imp.stdout.trim()).toBe('created preset "LLM copy"');
    withDb((db) => {
      expect(getImportPreset(db, "LLM copy")!.mapping).toEqual(LLM_MAPPING);
      expect(db.select().from(auditLog).all().some((a) => a.action === "import_preset.create" && a.entityId === "LLM copy")).toBe(true);
    });
    const again = await cli(["presets", "import", "--file", out]);
    expect(again.stdout.trim()).toBe('replaced preset "LLM status"');
  });

  test.each([
    ["not JSON", "{", /not valid JSON/],
    ["empty", "", /is empty/],
    ["a bad name", JSON.stringify({ name: "../x", mapping: { columns: {} } }), /name: must be 1–80 letters/],
    ["an unknown target", JSON.stringify({ name: "x", mapping: { columns: { a: "servicez" } } }), /mapping\.columns\.a: must be one of/],
    ["an unknown key", JSON.stringify({ name: "x", mapping: { columns: {} }, extra: 1 }), /extra/],
    ["a repeated name", JSON.stringify([{ name: "Dup", mapping: { columns: {} } }, { name: "dup", mapping: { columns: {} } }]), /appears twice/],
  ])("import refuses %s with a clear message and writes nothing", async (_what, input, message) => {
    const before = withDb((db) => listImportPresets(db).map((p) => p.name));
    // A valid preset first in the list: still nothing is written when another is bad.
    const r = await cli(["presets", "import"], input);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(withDb((db) => listImportPresets(db).map((p) => p.name))).toEqual(before);
  });

  test("a list with one bad preset writes none of them", async () => {
    const r = await cli(["presets", "import"], JSON.stringify([{ name: "Good one", mapping: { columns: { a: "id" } } }, { name: "Bad", mapping: { columns: { a: 5 } } }]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/1\.mapping\.columns\.a/);
    expect(withDb((db) => getImportPreset(db, "Good one"))).toBeNull();
  });

  test("import --preset uses the preset's source name: a second run finds the same incidents, none under csv; --analysed --trigger mark new ones", async () => {
    const first = await cli(["import", FIXTURE, "--preset", "LLM status", "--analysed", "--trigger", "other"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout.trim().split("\n").at(-1)!)).toMatchObject({ source: "openai-status", created: 6 });
    const second = await cli(["import", FIXTURE, "--preset", "LLM status"]);
    expect(JSON.parse(second.stdout.trim().split("\n").at(-1)!)).toMatchObject({ source: "openai-status", created: 0, unchanged: 6 });
    withDb((db) => {
      const rows = db.select().from(incidents).all();
      expect(rows.every((r) => r.source === "openai-status")).toBe(true);
      expect(rows.find((r) => r.sourceId === "oai-0004")!.sourceServices).toEqual(["API", "ChatGPT", "Playground"]);
      expect(db.select().from(incidentCuration).all().every((c) => c.analysisStatus === "final" && c.trigger === "other")).toBe(true);
    });
    const bad = await cli(["import", FIXTURE, "--preset", "LLM status", "--trigger", "change"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--trigger must be other (not change-triggered) or unknown");
  });
});
