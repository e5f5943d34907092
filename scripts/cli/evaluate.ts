/** `cli evaluate CASE.json`: runs a metric case file through the engine; touches no database. */
import fs from "node:fs";
import type { z } from "zod";
import { evaluate, inputFromCase, type CaseFile } from "@/lib/metric";
import { caseFileSchema, describeIssues } from "@/lib/validation/metric";
import { CliError, parseArgs } from "./errors";

/** Reads and parses a JSON file; any failure becomes a one-line CliError naming the file. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (code ?? "read failed")}`);
  }
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

export const command = {
  summary: "evaluate a metric case file (no database): prints {quarters, incidents} JSON",
  run(argv: string[]) {
    const { positional, options } = parseArgs(argv, { boolean: ["help"] });
    if (options.help) {
      console.log("usage: npm run --silent cli -- evaluate CASE.json");
      return;
    }
    if (positional.length !== 1) throw new CliError("evaluate needs exactly one case file: evaluate CASE.json");
    const file = positional[0];
    const data = parseOrFail(caseFileSchema, readJsonFile(file), file) as CaseFile;
    const result = evaluate(inputFromCase(data));
    process.stdout.write(JSON.stringify({ quarters: result.quarters, incidents: result.incidents }, null, 2) + "\n");
  },
};
