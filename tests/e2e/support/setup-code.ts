import fs from "node:fs";
import path from "node:path";

/**
 * The fresh server's one-time setup code, read where the server keeps it: `.setup-code` next to
 * its database (server/auth/setup-code.ts). The server writes it when /setup is first shown, so
 * read it after visiting /setup. A file, not the server's output: Playwright's webServer owns
 * that process and its output, and the file is there whichever way the server was started.
 */
export function readSetupCode(dbUrl: string): string {
  const file = path.join(path.dirname(dbUrl.replace(/^file:/, "")), ".setup-code");
  const code = fs.readFileSync(file, "utf8").trim();
  if (!/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code)) throw new Error(`${file} holds no setup code`);
  return code;
}
