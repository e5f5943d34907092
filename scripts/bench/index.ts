/**
 * `npm run bench [section ...]`: runs every section (or the named ones), each in its own
 * process so one section's heap and peak memory never colour another's figures; logs
 * progress to stderr and prints ONE JSON object (every section's figures merged) as the
 * last stdout line. Add a section with one line below.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

type Section = { name: string; run: () => Promise<Record<string, unknown>> };

const sections: Section[] = [
  { name: "engine", run: async () => (await import("./engine")).run() },
  { name: "import", run: async () => (await import("./import")).run() },
  { name: "projects", run: async () => (await import("./projects")).run() },
  { name: "incidents", run: async () => (await import("./incidents")).run() },
  { name: "dashboard", run: async () => (await import("./dashboard")).run() },
  { name: "undo", run: async () => (await import("./undo")).run() },
  { name: "load", run: async () => (await import("./load")).run() },
  { name: "json", run: async () => (await import("./json-depth")).run() },
  { name: "csv", run: async () => (await import("./csv")).run() },
  { name: "dora", run: async () => (await import("./dora")).run() },
  { name: "sources", run: async () => (await import("./sources")).run() },
  { name: "delivery", run: async () => (await import("./delivery")).run() },
];

const CHILD_FLAG = "--section-child";

/** In the child: run one section and print its figures as the last line. */
async function runChild(name: string) {
  const section = sections.find((s) => s.name === name);
  if (!section) throw new Error(`unknown bench section "${name}"`);
  console.log(JSON.stringify(await section.run()));
}

function runInChild(name: string): Record<string, unknown> {
  const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
  const res = spawnSync(tsx, ["--conditions=react-server", __filename, CHILD_FLAG, name], {
    env: process.env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = (res.stdout ?? "").trim().split("\n").pop() ?? "";
  if (res.status !== 0) return { [`${name}_error`]: `exited with ${res.status}` };
  try {
    return JSON.parse(last) as Record<string, unknown>;
  } catch {
    return { [`${name}_error`]: "printed no figures" };
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === CHILD_FLAG) return runChild(args[1]);
  const only = args.filter((a) => !a.startsWith("-"));
  const unknown = only.filter((n) => !sections.some((s) => s.name === n));
  if (unknown.length) {
    console.error(`bench: unknown section(s) ${unknown.join(", ")}; sections: ${sections.map((s) => s.name).join(", ")}`);
    process.exit(2);
  }
  const merged: Record<string, unknown> = {};
  for (const s of sections) {
    if (only.length && !only.includes(s.name)) continue;
    const t0 = performance.now();
    console.error(`bench: ${s.name}…`);
    Object.assign(merged, runInChild(s.name));
    console.error(`bench: ${s.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(JSON.stringify(merged));
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
