import { createApiToken, listApiTokens, revokeApiToken, TokenNameTakenError } from "@/db/queries/tokens";
import { roleSchema, tokenNameSchema } from "@/lib/auth/schemas";
import { parseSubcommand } from "./args";
import { withDb } from "./context";
import { CliError } from "./errors";

const USAGE = [
  "usage: npm run --silent cli -- token create --name NAME --role viewer|editor|lead|admin",
  "       npm run --silent cli -- token revoke --name NAME",
  "       npm run --silent cli -- token list",
  "create prints the token on its last line; it is shown only once and stored hashed",
].join("\n");

const CLI_ACTOR = { id: null, label: "cli" };

function parseOr<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new CliError(`${what}: ${r.error.issues[0]?.message ?? "invalid"}`);
  return r.data;
}

export const command = {
  summary: "create, revoke and list API tokens",
  run(argv: string[]) {
    const args = parseSubcommand(argv, { string: ["name", "role"] }, USAGE, "token needs a subcommand: create, revoke or list");
    if (!args) return;
    const { sub, rest, options } = args;
    if (rest.length > 0) throw new CliError(`unexpected argument "${rest[0]}"`);
    if (sub === "create") {
      const name = parseOr(tokenNameSchema, options.name ?? "", "--name");
      if (options.role === undefined) throw new CliError("--role is required (viewer, editor, lead or admin)");
      const role = parseOr(roleSchema, options.role, "--role");
      const { token, row } = withDb(
        (db) => createApiToken(db, { name, role, createdBy: CLI_ACTOR }),
        (err) => (err instanceof TokenNameTakenError ? new CliError(err.message) : err),
      );
      console.log(`created token "${row.name}" with role ${row.role}; store it now, it will not be shown again:`);
      console.log(token);
      return;
    }
    if (sub === "revoke") {
      const name = parseOr(tokenNameSchema, options.name ?? "", "--name");
      if (!withDb((db) => revokeApiToken(db, { name }, CLI_ACTOR))) throw new CliError(`no active token named "${name}"`);
      console.log(`revoked token "${name}"`);
      return;
    }
    if (sub === "list") {
      for (const t of withDb(listApiTokens)) {
        const state = t.revokedAt ? `revoked ${new Date(t.revokedAt).toISOString()}` : "active";
        const used = t.lastUsedAt ? new Date(t.lastUsedAt).toISOString() : "never";
        console.log(`${t.name}\t${t.role}\t${t.prefix}…\t${state}\tlast used ${used}`);
      }
      return;
    }
    throw new CliError(`unknown token subcommand "${sub}" (create, revoke, list)`);
  },
};
