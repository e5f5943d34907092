/** `cli evaluate CASE.json`: runs a metric case file through the engine; touches no database. */
import fs from "node:fs";
import type { z } from "zod";
import { jsonDepthProblem } from "@/lib/json/bounded";
import { evaluate, inputFromCase, type CaseFile } from "@/lib/metric";
import { instantOutOfBounds } from "@/lib/metric/time-bounds";
import { caseFileSchema, describeIssues } from "@/lib/validation/metric";
import { calendarTimeBounds } from "@/lib/validation/time-bounds";
import { parseCliArgs } from "./args";
import { CliError } from "./errors";

/** Reads and parses a JSON file; any failure becomes a one-line CliError naming the file. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (code ?? "read failed")}`);
  }
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep) throw new CliError(`${file} is ${tooDeep}`);
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new CliError(`${file} is not valid JSON: ${(err as Error).message.split("\n")[0]}`);
  }
}

/** Validates `value` with `schema`, or throws a one-line CliError naming the bad fields. */
export function parseOrFail<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliError(`${what} is invalid: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

const CASE_INSTANTS = ["startedAt", "resolvedAt", "impactStart", "impactEnd", "detectedAt", "mitigatedAt"] as const;

/**
 * A case describes its own "now" (asOf may lie in any year), so its times are held to
 * TIME_MIN and the calendar's reach rather than to the clock. Throws a one-line CliError
 * naming the first time out of bounds.
 */
export function checkCaseTimes(data: CaseFile, file: string): void {
  const bounds = calendarTimeBounds();
  const fail = (where: string, iso: string) => {
    const why = instantOutOfBounds(where, Date.parse(iso), bounds);
    if (why) throw new CliError(`${file} is invalid: ${why}`);
  };
  fail("asOf", data.asOf);
  data.incidents.forEach((inc, i) => {
    for (const f of CASE_INSTANTS) {
      const v = (inc as unknown as Record<string, string | null | undefined>)[f];
      if (v != null) fail(`incidents.${i}.${f} (id ${inc.id})`, v);
    }
  });
}

export const command = {
  summary: "evaluate a metric case file (no database): prints {quarters, incidents} JSON",
  run(argv: string[]) {
    const { positional, options } = parseCliArgs(argv, { boolean: ["help"] });
    if (options.help) {
      console.log("usage: npm run --silent cli -- evaluate CASE.json");
      return;
    }
    if (positional.length !== 1) throw new CliError("evaluate needs exactly one case file: evaluate CASE.json");
    const file = positional[0];
    const data = parseOrFail(caseFileSchema, readJsonFile(file), file) as CaseFile;
    checkCaseTimes(data, file);
    const result = evaluate(inputFromCase(data));
    process.stdout.write(JSON.stringify({ quarters: result.quarters, incidents: result.incidents }, null, 2) + "\n");
  },
};
