import fs from "node:fs";
import path from "node:path";
import { request, type FullConfig } from "@playwright/test";

/** Signs the admin in once and saves the session for every suite (the storageState file the config names). */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0].use.baseURL!;
  const file = path.resolve(String(config.projects[0].use.storageState));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
  const res = await ctx.post("/api/auth/sign-in/email", {
    data: { email: process.env.E2E_ADMIN_EMAIL, password: process.env.E2E_ADMIN_PASSWORD },
  });
  if (!res.ok()) throw new Error(`global setup: admin sign-in failed with ${res.status()}: ${await res.text()}`);
  await ctx.storageState({ path: file });
  await ctx.dispose();
}
