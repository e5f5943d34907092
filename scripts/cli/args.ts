import { parseArgs } from "node:util";
import { CliError } from "./errors";

type Flags<B extends string, S extends string> = { boolean?: readonly B[]; string?: readonly S[] };

export type CliArgs<B extends string, S extends string> = {
  positional: string[];
  options: { [K in B]?: true } & { [K in S]?: string };
};

/**
 * `--name value`, `--name=value` and `--flag`, through node:util's parseArgs. Kept as
 * before: a string option takes the next argument whatever it looks like (`--note -x`),
 * an argument with one dash (`-5`) is positional, a boolean ignores `=value`; an unknown
 * option or a string option without a value is a one-line CliError (exit 2). After `--`
 * everything is positional.
 */
export function parseCliArgs<B extends string = never, S extends string = never>(argv: string[], flags: Flags<B, S>): CliArgs<B, S> {
  const booleans = new Set<string>(flags.boolean ?? []);
  const strings = new Set<string>(flags.string ?? []);
  const options: Record<string, { type: "boolean" | "string" }> = {};
  for (const name of booleans) options[name] = { type: "boolean" };
  for (const name of strings) options[name] = { type: "string" };
  // strict: false so unknown options and dash-led values come back as tokens, judged below.
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const positional: string[] = [];
  const values: Record<string, string | true> = {};
  let lastIndex = -1;
  for (const token of tokens) {
    if (token.kind === "positional") positional.push(token.value);
    if (token.kind !== "option") continue;
    if (!token.rawName.startsWith("--")) {
      // `-abc` comes back as one token per letter, all with the same index.
      if (token.index !== lastIndex) positional.push(argv[token.index]);
      lastIndex = token.index;
      continue;
    }
    if (booleans.has(token.name)) values[token.name] = true;
    else if (strings.has(token.name)) {
      if (token.value === undefined || token.value === "") throw new CliError(`--${token.name} needs a value`);
      values[token.name] = token.value;
    } else throw new CliError(`unknown option --${token.name}`);
  }
  return { positional, options: values as CliArgs<B, S>["options"] };
}

/**
 * A command with subcommands (`token create`, `user list`, `deploys import FILE`): its
 * subcommand, the arguments after it and its options, or null once it has printed `usage`
 * for `--help`. No subcommand prints `usage` too and is a CliError saying `missing`.
 */
export function parseSubcommand<S extends string = never>(
  argv: string[],
  flags: { string?: readonly S[] },
  usage: string,
  missing: string,
): { sub: string; rest: string[]; options: CliArgs<"help", S>["options"] } | null {
  const { positional, options } = parseCliArgs<"help", S>(argv, { boolean: ["help"], string: flags.string });
  const [sub, ...rest] = positional;
  if (options.help || !sub) {
    console.log(usage);
    if (!sub && !options.help) throw new CliError(missing);
    return null;
  }
  return { sub, rest, options };
}
