import { describe, expect, test, vi } from "vitest";
import { parseCliArgs, parseSubcommand } from "@/scripts/cli/args";
import { CliError } from "@/scripts/cli/errors";

const flags = { boolean: ["json", "help"], string: ["note", "as-of"] } as const;
const parse = (...argv: string[]) => parseCliArgs(argv, flags);

describe("parseCliArgs", () => {
  test("flags, both value spellings and positionals in order", () => {
    expect(parse("set", "--json", "--note", "why", "FILE", "--as-of=2024-01-01")).toEqual({
      positional: ["set", "FILE"],
      options: { json: true, note: "why", "as-of": "2024-01-01" },
    });
  });

  test("a string option takes the next argument whatever it looks like", () => {
    expect(parse("--note", "--json").options).toEqual({ note: "--json" });
    expect(parse("--note", "-x").options).toEqual({ note: "-x" });
  });

  test("an argument with one dash is positional (a negative number), kept whole", () => {
    expect(parse("targets", "-5", "-abc").positional).toEqual(["targets", "-5", "-abc"]);
  });

  test("a boolean ignores =value; the last of a repeated string wins; after -- all is positional", () => {
    expect(parse("--json=0").options).toEqual({ json: true });
    expect(parse("--note", "a", "--note=b").options).toEqual({ note: "b" });
    expect(parse("x", "--", "--json").positional).toEqual(["x", "--json"]);
  });

  test.each([
    [["--bogus"], "unknown option --bogus"],
    [["--bogus=1"], "unknown option --bogus"],
    [["--note"], "--note needs a value"],
    [["--note="], "--note needs a value"],
    [["x", "--as-of"], "--as-of needs a value"],
  ])("%j is refused: %s (exit 2)", (argv, message) => {
    let err: unknown;
    try {
      parseCliArgs(argv, flags);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toBe(message);
    expect((err as CliError).exitCode).toBe(2);
  });
});

describe("parseSubcommand", () => {
  const run = (argv: string[]) => parseSubcommand(argv, { string: ["name"] }, "USAGE: thing create|list", "thing needs a subcommand: create or list");

  test("the subcommand, what follows it and the options", () => {
    expect(run(["create", "x", "--name", "n"])).toEqual({ sub: "create", rest: ["x"], options: { name: "n" } });
  });

  test("--help prints the usage and returns null; no subcommand prints it and is a CliError naming the choices", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(run(["create", "--help"])).toBeNull();
      expect(log).toHaveBeenLastCalledWith("USAGE: thing create|list");
      log.mockClear();
      expect(() => run([])).toThrow(new CliError("thing needs a subcommand: create or list"));
      expect(log).toHaveBeenCalledWith("USAGE: thing create|list");
    } finally {
      log.mockRestore();
    }
  });

  test("an unknown option is refused before anything is printed", () => {
    expect(() => run(["list", "--nope"])).toThrow("unknown option --nope");
  });
});
