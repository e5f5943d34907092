/**
 * `npm run bench`: runs every section in order, logs progress to stderr, and prints
 * ONE JSON object (every section's figures merged) as the last stdout line.
 * Add a section with one line below.
 */
type Section = { name: string; run: () => Promise<Record<string, unknown>> };

const sections: Section[] = [
  { name: "engine", run: async () => (await import("./engine")).run() },
  { name: "import", run: async () => (await import("./import")).run() },
  { name: "projects", run: async () => (await import("./projects")).run() },
  { name: "incidents", run: async () => (await import("./incidents")).run() },
  { name: "dashboard", run: async () => (await import("./dashboard")).run() },
];

async function main() {
  const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const merged: Record<string, unknown> = {};
  for (const s of sections) {
    if (only.length && !only.includes(s.name)) continue;
    const t0 = performance.now();
    console.error(`bench: ${s.name}…`);
    try {
      Object.assign(merged, await s.run());
    } catch (err) {
      merged[`${s.name}_error`] = err instanceof Error ? err.message : String(err);
    }
    console.error(`bench: ${s.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(JSON.stringify(merged));
}

void main();
