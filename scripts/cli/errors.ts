/** A user-facing CLI failure: printed as one line, never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Reads `--name value` / `--flag` style arguments; positional ones stay in order. */
export function parseArgs(argv: string[], flags: { boolean?: string[]; string?: string[] }) {
  const positional: string[] = [];
  const options: Record<string, string | boolean> = {};
  const booleans = new Set(flags.boolean ?? []);
  const strings = new Set(flags.string ?? []);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (booleans.has(name)) {
      options[name] = true;
    } else if (strings.has(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === "") throw new CliError(`--${name} needs a value`);
      options[name] = value;
    } else {
      throw new CliError(`unknown option --${name}`);
    }
  }
  return { positional, options };
}
