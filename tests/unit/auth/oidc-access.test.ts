import { describe, expect, test } from "vitest";
import { decideAccess, domainListSchema, issuerSchema, readGroups, roleMapSchema, scopesSchema, type AccessPolicy } from "@/lib/auth/oidc-access";
import { openSecret, sealSecret, SecretUnreadableError } from "@/lib/auth/secret-box";

const policy: AccessPolicy = {
  allowedDomains: ["example.com"],
  groupsClaim: "groups",
  roleMap: [
    { group: "staff", role: "viewer" },
    { group: "sre", role: "editor" },
    { group: "leads", role: "lead" },
    { group: "admins", role: "admin" },
  ],
  defaultRole: "none",
};
const claims = (over: Record<string, unknown> = {}) => ({ sub: "s1", email: "Ann@Example.com", email_verified: true, groups: ["staff"], ...over });

describe("decideAccess", () => {
  test.each([
    [["staff"], "viewer"],
    [["staff", "sre"], "editor"],
    [["admins", "staff"], "admin"],
    [["sre", "leads"], "lead"],
  ] as const)("groups %j → %s (the highest mapped role wins)", (groups, role) => {
    const d = decideAccess(policy, claims({ groups: [...groups] }));
    expect(d).toMatchObject({ ok: true, role, claims: { sub: "s1", email: "ann@example.com", groups } });
  });

  test("no mapped group: the default role, or refused with none", () => {
    expect(decideAccess(policy, claims({ groups: ["other"] }))).toMatchObject({ ok: false, code: "NO_ACCESS" });
    expect(decideAccess({ ...policy, defaultRole: "viewer" }, claims({ groups: [] }))).toMatchObject({ ok: true, role: "viewer", matched: [] });
  });

  test("refusals: a domain not allowed, an unverified or missing email; any domain when none is listed", () => {
    expect(decideAccess(policy, claims({ email: "x@evil.example" }))).toMatchObject({ ok: false, code: "DOMAIN_NOT_ALLOWED" });
    // A subdomain is another domain.
    expect(decideAccess(policy, claims({ email: "x@eu.example.com" }))).toMatchObject({ ok: false, code: "DOMAIN_NOT_ALLOWED" });
    expect(decideAccess(policy, claims({ email_verified: false }))).toMatchObject({ ok: false, code: "EMAIL_UNVERIFIED" });
    expect(decideAccess(policy, claims({ email_verified: "false" }))).toMatchObject({ ok: false, code: "EMAIL_UNVERIFIED" });
    expect(decideAccess(policy, claims({ email: undefined }))).toMatchObject({ ok: false, code: "EMAIL_MISSING" });
    expect(decideAccess({ ...policy, allowedDomains: [] }, claims({ email: "x@anywhere.org" }))).toMatchObject({ ok: true });
    // Providers that never send email_verified (Entra ID) are not refused for its absence.
    const noFlag: Record<string, unknown> = claims();
    delete noFlag.email_verified;
    expect(decideAccess(policy, noFlag)).toMatchObject({ ok: true });
  });
});

describe("readGroups", () => {
  test("arrays, space- or comma-separated strings, dotted paths; anything else is none", () => {
    expect(readGroups({ groups: ["a", "b", 3, ""] }, "groups")).toEqual(["a", "b"]);
    expect(readGroups({ roles: "a b,c" }, "roles")).toEqual(["a", "b", "c"]);
    expect(readGroups({ realm_access: { roles: ["x"] } }, "realm_access.roles")).toEqual(["x"]);
    expect(readGroups({ "https://example.com/groups": ["y"] }, "https://example.com/groups")).toEqual(["y"]);
    expect(readGroups({ groups: { a: 1 } }, "groups")).toEqual([]);
    expect(readGroups({}, "groups")).toEqual([]);
  });
});

describe("form schemas name what is wrong", () => {
  test("role map", () => {
    expect(roleMapSchema.parse("sre = editor\n/team/leads: lead, Platform Admins=admin")).toEqual([
      { group: "sre", role: "editor" },
      { group: "/team/leads", role: "lead" },
      { group: "Platform Admins", role: "admin" },
    ]);
    const bad = roleMapSchema.safeParse("sre = boss\njust-a-group");
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message)).toEqual(['"sre = boss": role must be one of viewer, editor, lead, admin', '"just-a-group" is not "group = role"']);
  });

  test("domains, issuer, scopes", () => {
    expect(domainListSchema.parse("Example.com, @corp.example.org example.com")).toEqual(["example.com", "corp.example.org"]);
    expect(domainListSchema.safeParse("not a domain").error!.issues[0].message).toContain('"not" is not a domain name');
    expect(issuerSchema.parse("https://login.example.com/realms/main/")).toBe("https://login.example.com/realms/main");
    expect(issuerSchema.parse("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(issuerSchema.safeParse("http://idp.example.com").error!.issues[0].message).toContain("must use https");
    expect(issuerSchema.safeParse("https://idp.example.com/?x=1").error!.issues[0].message).toContain("no query");
    expect(scopesSchema.parse("email groups")).toEqual(["openid", "email", "groups"]);
  });
});

describe("secret box", () => {
  test("round-trips; another key or an altered value does not open", () => {
    const sealed = sealSecret("client-secret", "key-1");
    expect(sealed).not.toContain("client-secret");
    expect(openSecret(sealed, "key-1")).toBe("client-secret");
    expect(sealSecret("client-secret", "key-1")).not.toBe(sealed); // a fresh IV each time
    expect(() => openSecret(sealed, "key-2")).toThrow(SecretUnreadableError);
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => openSecret(parts.join("."), "key-1")).toThrow(SecretUnreadableError);
  });
});
