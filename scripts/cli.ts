/**
 * The command line: `npm run --silent cli -- <command> ...`.
 * Each command lives in scripts/cli/<command>.ts and is registered below.
 */
import { CliError } from "./cli/errors";

type Command = { summary: string; run: (argv: string[]) => Promise<void> | void };

const commands: Record<string, () => Promise<Command>> = {
  migrate: async () => (await import("./cli/migrate")).command,
  seed: async () => (await import("./cli/seed")).command,
  token: async () => (await import("./cli/token")).command,
  user: async () => (await import("./cli/user")).command,
  evaluate: async () => (await import("./cli/evaluate")).command,
  metrics: async () => (await import("./cli/metrics")).command,
  policy: async () => (await import("./cli/policy")).command,
  targets: async () => (await import("./cli/targets")).command,
  import: async () => (await import("./cli/import")).command,
  presets: async () => (await import("./cli/presets")).command,
  batches: async () => (await import("./cli/batches")).command,
  deploys: async () => (await import("./cli/deploys")).command,
  export: async () => (await import("./cli/export")).command,
  dora: async () => (await import("./cli/dora")).command,
  sources: async () => (await import("./cli/sources")).command,
};

function usage(): string {
  return [
    "usage: npm run --silent cli -- <command> [options]",
    "",
    "commands: " + Object.keys(commands).sort().join(", "),
    "run a command with --help for its options",
  ].join("\n");
}

async function main(argv: string[]) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "help") {
    console.log(usage());
    return;
  }
  const load = commands[name];
  if (!load) throw new CliError(`unknown command "${name}" (commands: ${Object.keys(commands).sort().join(", ")})`);
  const command = await load();
  await command.run(rest);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof CliError) {
    console.error(`error: ${err.message}`);
    process.exit(err.exitCode);
  }
  const message = err instanceof Error ? err.message : String(err);
  console.error(`error: ${message}`);
  process.exit(1);
});
