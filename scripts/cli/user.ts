import { ZodError } from "zod";
import { getUserByEmail, listUsers, setUserDisabled, setUserRole } from "@/db/queries/users";
import { createAccount, EmailTakenError, setAccountPassword } from "@/server/auth/accounts";
import { createAuth } from "@/server/auth/better-auth";
import { clearSetupCode } from "@/server/auth/setup-code";
import { getLocalPasswords, setLocalPasswords } from "@/server/auth/sign-in-config";
import { parseSubcommand } from "./args";
import { withDb } from "./context";
import { CliError } from "./errors";

const USAGE = [
  "usage: npm run --silent cli -- user create --email EMAIL --role viewer|editor|lead|admin [--name NAME] < password",
  "       npm run --silent cli -- user set-password --email EMAIL < password",
  "       npm run --silent cli -- user list",
  "       npm run --silent cli -- user break-glass --email EMAIL < password",
  "       npm run --silent cli -- user passwords on|off",
  "break-glass makes EMAIL the admin who keeps password sign-in when it is off (created if missing, made an",
  "active admin, given the password); passwords on|off turns password sign-in on or off for everyone else;",
  "create and set-password read the password from standard input (its first line);",
  "set-password signs the account out everywhere (for a locked-out or forgotten admin)",
].join("\n");

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError("pipe the password on standard input, e.g. `printf '%s' \"$PW\" | npm run --silent cli -- user create ...`");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The password on standard input: its first line only (a trailing newline from `echo` is not part of it). */
async function readPassword(): Promise<string> {
  const password = (await readStdin()).split(/\r?\n/)[0] ?? "";
  if (!password) throw new CliError("no password on standard input");
  return password;
}

export const command = {
  summary: "create and list accounts, set a forgotten password",
  async run(argv: string[]) {
    const args = parseSubcommand(argv, { string: ["email", "role", "name"] }, USAGE, "user needs a subcommand: create, set-password, list, break-glass or passwords");
    if (!args) return;
    const { sub, rest, options } = args;
    if (rest.length > (sub === "passwords" ? 1 : 0)) throw new CliError(`unexpected argument "${rest[sub === "passwords" ? 1 : 0]}"`);
    if (sub === "create") {
      if (typeof options.email !== "string") throw new CliError("--email is required");
      if (typeof options.role !== "string") throw new CliError("--role is required (viewer, editor, lead or admin)");
      const password = await readPassword();
      const email = options.email;
      const name = typeof options.name === "string" ? options.name : email.split("@")[0];
      const role = options.role;
      const created = await withDb(
        (db) => createAccount(createAuth(db), db, { name, email, password, role: role as never }, { id: null, label: "cli" }),
        (err) => {
          if (err instanceof ZodError) {
            const i = err.issues[0];
            const field = i?.path.join(".") || "input";
            return new CliError(`${field === "password" ? "password" : `--${field}`}: ${i?.message ?? "invalid"}`);
          }
          return err instanceof EmailTakenError ? new CliError(err.message) : err;
        },
      );
      // Headless first run: with an account in place, /setup's one-time code is spent.
      clearSetupCode();
      console.log(`created ${created.email} (${created.role})`);
      return;
    }
    if (sub === "set-password") {
      if (typeof options.email !== "string") throw new CliError("--email is required");
      if (options.role !== undefined || options.name !== undefined) throw new CliError("set-password takes only --email");
      const password = await readPassword();
      const email = options.email;
      const done = await withDb(
        async (db) => {
          const target = getUserByEmail(db, email.trim().toLowerCase());
          if (!target) throw new CliError(`no account with email ${email}`);
          return setAccountPassword(createAuth(db), db, { userId: target.id, password }, { id: null, label: "cli" });
        },
        (err) => (err instanceof ZodError ? new CliError(`password: ${err.issues[0]?.message ?? "invalid"}`) : err),
      );
      console.log(`new password set for ${done.email}; ${done.sessionsEnded} session(s) signed out`);
      return;
    }
    if (sub === "list") {
      for (const u of withDb(listUsers)) console.log(`${u.email}\t${u.role}\t${u.disabled ? "disabled" : "active"}\t${u.name}`);
      return;
    }
    if (sub === "break-glass") {
      if (typeof options.email !== "string") throw new CliError("--email is required");
      if (options.role !== undefined || options.name !== undefined) throw new CliError("break-glass takes only --email");
      const password = await readPassword();
      const email = options.email.trim().toLowerCase();
      const by = { id: null, label: "cli" };
      const done = await withDb(
        async (db) => {
          const auth = createAuth(db);
          let target = getUserByEmail(db, email);
          if (!target) {
            await createAccount(auth, db, { name: email.split("@")[0], email, password, role: "admin" }, by);
            target = getUserByEmail(db, email)!;
          } else {
            await setAccountPassword(auth, db, { userId: target.id, password }, by);
            setUserRole(db, target.id, "admin", by);
            if (target.disabled) setUserDisabled(db, target.id, false, by);
          }
          const local = getLocalPasswords(db);
          setLocalPasswords(db, { enabled: local.enabled, breakGlassUserId: target.id }, by);
          clearSetupCode();
          return { email, passwordsOn: local.enabled };
        },
        (err) => (err instanceof ZodError ? new CliError(`${err.issues[0]?.path.join(".") === "email" ? "--email" : "password"}: ${err.issues[0]?.message ?? "invalid"}`) : err),
      );
      console.log(`${done.email} is the break-glass admin: it signs in with this password${done.passwordsOn ? " (password sign-in is on for everyone now)" : " even though password sign-in is off"}`);
      return;
    }
    if (sub === "passwords") {
      const state = rest[0];
      if (state !== "on" && state !== "off") throw new CliError('passwords needs "on" or "off"');
      withDb((db) => {
        const local = getLocalPasswords(db);
        if (state === "off" && !local.breakGlassUserId) throw new CliError("set a break-glass admin first: user break-glass --email EMAIL < password");
        setLocalPasswords(db, { enabled: state === "on", breakGlassUserId: local.breakGlassUserId }, { id: null, label: "cli" });
      });
      console.log(`password sign-in is ${state === "on" ? "on" : "off, except for the break-glass admin"}`);
      return;
    }
    throw new CliError(`unknown user subcommand "${sub}" (create, set-password, list, break-glass, passwords)`);
  },
};
