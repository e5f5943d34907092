import { getSourceByName, latestRun, listSources } from "@/db/queries/sources";
import { KIND_INFO, type SourceKindName } from "@/lib/sources/kinds";
import { saveSource } from "@/server/sources/manage";
import { syncSource, testSourceConnection } from "@/server/sources/sync";
import { parseSubcommand } from "./args";
import { cliUserLabel, withDb } from "./context";
import { CliError, toCliError } from "./errors";

const USAGE = [
  "usage: npm run --silent cli -- sources <subcommand>",
  "  add --name NAME --kind pagerduty|incidentio|statuspage|jira|opsgenie|github|argocd|deploy-webhook [--base-url URL] [--scope SCOPE] [--every MINUTES]",
  "      the credential, if the kind needs one, on standard input; --webhook-secret-stdin reads the webhook signing secret instead",
  "  list                       every source (never its credential)",
  "  sync NAME                  one sync now; the last line is a JSON summary",
  "  test NAME                  ask the vendor for one incident: does the base URL, credential and scope work",
  "  status                     each source's last run, what changed, next run and last error",
].join("\n");

async function readStdin(what: string): Promise<string> {
  if (process.stdin.isTTY) throw new CliError(`pipe the ${what} on standard input, e.g. \`printf '%s' "$KEY" | npm run --silent cli -- sources add ...\``);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim();
}

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z") : "-");

/** Live sources from the command line: the same settings, syncs and status as Settings → Sources. */
export const command = {
  summary: "live sources: add, list, sync, test, status",
  async run(argv: string[]) {
    const parsed = parseSubcommand(argv.filter((a) => a !== "--webhook-secret-stdin"), { string: ["name", "kind", "base-url", "scope", "every"] }, USAGE, "sources needs a subcommand");
    if (!parsed) return;
    const { sub, rest, options } = parsed;
    const webhookSecretStdin = argv.includes("--webhook-secret-stdin");
    await withDb(async (db) => {
      if (sub === "add") {
        if (!options.name) throw new CliError("sources add needs --name NAME");
        if (!options.kind) throw new CliError(`sources add needs --kind (${Object.keys(KIND_INFO).join(", ")})`);
        const info = KIND_INFO[options.kind as SourceKindName];
        let credential: string | undefined;
        let webhookSecret: string | undefined;
        if (webhookSecretStdin) webhookSecret = await readStdin("webhook secret");
        else if (info?.needsCredential) credential = await readStdin("credential (API key or token)");
        const view = saveSource(db, {
          name: options.name,
          kind: options.kind as SourceKindName,
          baseUrl: options["base-url"],
          scope: options.scope ?? "",
          everyMinutes: options.every === undefined ? undefined : (options.every as unknown as number),
          credential,
          webhookSecret,
        }, { label: cliUserLabel() });
        console.log(`added source ${view.name} (${view.kind}) at ${view.baseUrl}, every ${view.everyMinutes} min${view.hasCredential ? ", credential stored encrypted" : ""}`);
        return;
      }
      if (sub === "list") {
        for (const s of listSources(db)) {
          console.log(`${s.name}\t${s.kind}\t${s.baseUrl}\tevery ${s.everyMinutes} min\t${s.enabled ? "on" : "off"}\t${s.credential ? "credential set" : "no credential"}${s.scope.text ? `\tscope ${String(s.scope.text)}` : ""}`);
        }
        return;
      }
      if (sub === "sync" || sub === "test") {
        const name = rest[0];
        if (!name) throw new CliError(`sources ${sub} needs a source name`);
        if (!getSourceByName(db, name)) throw new CliError(`no source named "${name}" (see sources list)`);
        if (sub === "test") {
          const r = await testSourceConnection(db, name);
          console.log(r.message);
          if (!r.ok) process.exitCode = 1;
          return;
        }
        const summary = await syncSource(db, name, {
          trigger: "cli",
          actor: { label: cliUserLabel() },
          onPage: (p) => console.error(`page ${p.page}: ${p.fetched} incidents`),
        });
        if (summary.error) console.error(`sync failed: ${summary.error}`);
        console.log(JSON.stringify(summary));
        if (summary.status !== "succeeded") process.exitCode = 1;
        return;
      }
      if (sub === "status") {
        for (const s of listSources(db)) {
          const run = latestRun(db, s.id);
          const last = run ? `${run.status} ${iso(run.finishedAt ?? run.startedAt)}: ${run.created} new, ${run.updated} updated, ${run.unchanged} unchanged, ${run.rejected} rejected` : "never synced";
          const next = s.enabled ? (KIND_INFO[s.kind].polls ? `next ${iso(s.nextRunAt)}` : "webhooks only") : "off";
          console.log(`${s.name}\t${s.kind}\t${last}\t${next}${s.consecutiveFailures ? `\tfailed ${s.consecutiveFailures}× in a row` : ""}${run?.error ? `\tlast error: ${run.error}` : ""}`);
        }
        return;
      }
      throw new CliError(`unknown subcommand "${sub}"\n${USAGE}`);
    }, toCliError);
  },
};
