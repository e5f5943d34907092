import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { evaluate, inputFromCase, type CaseFile, type EvaluationResult } from "@/lib/metric";
import { caseFileSchema } from "@/lib/validation/metric";
import { expectMatchesCase, loadCases } from "./case-helpers";

const ROOT = path.resolve(__dirname, "../../..");
const cases = loadCases();

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "scripts/cli.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: "file:/nonexistent/never-opened.sqlite" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("metric cases through the engine", () => {
  test("there are case files", () => expect(cases.length).toBeGreaterThanOrEqual(17));

  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const parsed = caseFileSchema.parse(c.raw) as CaseFile;
    expectMatchesCase(evaluate(inputFromCase(parsed)), c.raw.expected);
  });
});

describe("metric cases through `cli evaluate`", () => {
  const outputs = new Map<string, { code: number | null; stdout: string; stderr: string }>();

  beforeAll(async () => {
    // A small pool: each tsx start costs ~0.8 s of CPU and the machine is shared.
    const queue = [...cases];
    const workers = Array.from({ length: Math.min(3, os.cpus().length + 1) }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) outputs.set(c.name, await runCli(["evaluate", c.file]));
    });
    await Promise.all(workers);
  }, 120_000);

  test.each(cases.map((c) => [c.name, c] as const))("%s", (name, c) => {
    const out = outputs.get(name)!;
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expectMatchesCase(JSON.parse(out.stdout) as EvaluationResult, c.raw.expected);
  });
});
