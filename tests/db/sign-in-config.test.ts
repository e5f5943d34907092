/** Providers saved under Admin → Sign-in: secrets encrypted at rest, audited without them; the OIDC_* set checked together. */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { createTestDb } from "../support/db";
import { auditLog, signInConfig } from "@/db/schema";
import { deleteOidcProvider, envProvider, listOidcProviders, providerFormSchema, saveOidcProvider, ProviderConflictError } from "@/server/auth/sign-in-config";
import { EnvError } from "@/lib/env";

let t: ReturnType<typeof createTestDb>;
let url: string;
beforeEach(() => {
  t = createTestDb();
  url = `file:${t.file}`;
});
afterEach(() => {
  vi.unstubAllEnvs();
  t.cleanup();
});

const form = (over: Record<string, unknown> = {}) =>
  providerFormSchema.parse({ id: "okta", name: "Okta", issuer: "https://corp.okta.com/oauth2/default", clientId: "cid", clientSecret: "very-secret-value", scopes: "openid email profile groups", groupsClaim: "groups", allowedDomains: "corp.example", roleMap: "sre = editor", defaultRole: "none", enabled: true, ...over });

test("the client secret is stored encrypted under .sign-in-key, read back in memory, and never in the audit trail", () => {
  saveOidcProvider(t.db, form(), { label: "admin@corp.example" }, { databaseUrl: url, isNew: true });
  const raw = JSON.stringify(t.db.select().from(signInConfig).all());
  expect(raw).not.toContain("very-secret-value");
  expect(fs.statSync(path.join(path.dirname(t.file), ".sign-in-key")).mode & 0o777).toBe(0o600);
  expect(listOidcProviders(t.db, url)).toMatchObject([{ id: "okta", clientSecret: "very-secret-value", roleMap: [{ group: "sre", role: "editor" }], source: "admin", enabled: true }]);
  const audit = t.db.select().from(auditLog).all();
  expect(audit.map((a) => a.action)).toEqual(["sign_in.update"]);
  expect(JSON.stringify(audit)).not.toContain("very-secret-value");
  expect(audit[0].after).toMatchObject({ clientSecret: "(set)" });
});

test("a blank secret on edit keeps the stored one; ids are unique; a lost key disables the provider instead of failing", () => {
  saveOidcProvider(t.db, form(), { label: "a" }, { databaseUrl: url, isNew: true });
  saveOidcProvider(t.db, form({ name: "Okta SSO", clientSecret: "" }), { label: "a" }, { databaseUrl: url, isNew: false });
  expect(listOidcProviders(t.db, url)[0]).toMatchObject({ name: "Okta SSO", clientSecret: "very-secret-value" });
  expect(() => saveOidcProvider(t.db, form(), { label: "a" }, { databaseUrl: url, isNew: true })).toThrow(ProviderConflictError);
  fs.writeFileSync(path.join(path.dirname(t.file), ".sign-in-key"), "another-key-of-at-least-32-characters-long\n");
  expect(listOidcProviders(t.db, url)[0]).toMatchObject({ enabled: false, clientSecret: null });
  expect(deleteOidcProvider(t.db, "okta", { label: "a" })).toBe(true);
  expect(listOidcProviders(t.db, url)).toEqual([]);
});

test("OIDC_* from the environment: checked as a set, with messages naming the variable", () => {
  vi.stubEnv("OIDC_CLIENT_ID", "x");
  expect(() => envProvider()).toThrow(new EnvError("OIDC_CLIENT_ID is set but OIDC_ISSUER is not: set both (and OIDC_CLIENT_SECRET) to sign in with OpenID Connect"));
  vi.stubEnv("OIDC_ISSUER", "http://idp.example.com");
  expect(() => envProvider()).toThrow(/OIDC_ISSUER "http:\/\/idp.example.com" The issuer must use https/);
  vi.stubEnv("OIDC_ISSUER", "https://idp.example.com");
  vi.stubEnv("OIDC_ROLE_MAP", "sre=boss");
  expect(() => envProvider()).toThrow(/OIDC_ROLE_MAP "sre=boss" "sre=boss": role must be one of/);
  vi.stubEnv("OIDC_ROLE_MAP", "sre=editor,leads=lead");
  vi.stubEnv("OIDC_ALLOWED_DOMAINS", "example.com");
  expect(envProvider()).toMatchObject({ id: "oidc", issuer: "https://idp.example.com", clientId: "x", roleMap: [{ group: "sre", role: "editor" }, { group: "leads", role: "lead" }], defaultRole: "none", allowedDomains: ["example.com"], source: "env" });
  // The environment's id cannot be taken by an admin-saved provider.
  expect(() => saveOidcProvider(t.db, form({ id: "oidc" }), { label: "a" }, { databaseUrl: url, isNew: true })).toThrow(/environment variables/);
});
