import type { Metadata } from "next";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { listPasswordAdmins, ssoSignInCounts } from "@/db/queries/sign-in-config";
import { requirePageRole } from "@/server/auth/guards";
import { getLocalPasswords, listOidcProviders, type OidcProvider } from "@/server/auth/sign-in-config";
import { formatRoleMap } from "@/lib/auth/oidc-access";
import { requestHost } from "@/lib/auth/origin";
import { DeleteProviderForm, LocalPasswordsForm, ProviderForm, type ProviderValues } from "./sign-in-forms";

export const metadata: Metadata = { title: "Sign-in" };
export const dynamic = "force-dynamic";

function formValues(p: OidcProvider): ProviderValues {
  return {
    id: p.id,
    name: p.name,
    issuer: p.issuer,
    clientId: p.clientId,
    scopes: p.scopes.join(" "),
    groupsClaim: p.groupsClaim,
    allowedDomains: p.allowedDomains.join(", "),
    roleMap: formatRoleMap(p.roleMap),
    defaultRole: p.defaultRole,
    enabled: p.enabled,
    hasSecret: !!p.clientSecret,
  };
}

export default async function SignInSettingsPage() {
  await requirePageRole("admin");
  const db = getDb();
  const providers = listOidcProviders(db);
  const counts = ssoSignInCounts(db);
  const local = getLocalPasswords(db);
  const host = requestHost(await headers()) ?? "localhost:3000";
  // The address this page was reached at; behind a proxy that rewrites it, use the public one.
  const origin = `${/^(localhost|127\.|\[::1\])/.test(host) ? "http" : "https"}://${host}`;
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Sign-in</h1>
          <p className="muted">Single sign-on through your identity provider (OpenID Connect), who may get in and with which role, and whether passwords still work.</p>
        </div>
      </div>
      <section className="card" aria-labelledby="providers-h">
        <h2 id="providers-h">Identity providers</h2>
        {providers.length === 0 ? <p className="muted">None yet. Add one below, or set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.</p> : null}
        {providers.map((p) => (
          <article key={p.id} className="stack" data-testid={`provider-${p.id}`} style={{ borderTop: "1px solid var(--border, #ddd)", paddingTop: "1rem" }}>
            <h3>
              {p.name} <span className="badge badge--neutral">{p.id}</span>{" "}
              {p.enabled ? <span className="badge badge--success">enabled</span> : <span className="badge badge--neutral">disabled</span>}
              {p.source === "env" ? <span className="badge badge--neutral"> from the environment</span> : null}
            </h3>
            <dl className="small">
              <dt>Redirect URL (register it with the provider)</dt>
              <dd className="mono">{`${origin}/api/auth/callback/${p.id}`}</dd>
              <dt>Issuer</dt>
              <dd className="mono">{p.issuer}</dd>
              <dt>Sign-ins so far</dt>
              <dd>{counts.get(p.id) ?? 0}</dd>
            </dl>
            {p.source === "admin" ? (
              <details>
                <summary>Edit {p.name}</summary>
                <ProviderForm initial={formValues(p)} />
                <DeleteProviderForm id={p.id} />
              </details>
            ) : (
              <p className="muted small">Set by the OIDC_* environment variables; change them there.</p>
            )}
          </article>
        ))}
      </section>
      <section className="card" aria-labelledby="add-provider-h">
        <h2 id="add-provider-h">Add a provider</h2>
        <ProviderForm />
      </section>
      <section className="card" aria-labelledby="passwords-h">
        <h2 id="passwords-h">Passwords</h2>
        <p className="muted">
          Once single sign-on works, password sign-in can be turned off for everyone but one break-glass admin, who can also be set from the command line (
          <code>npm run cli -- user break-glass</code>).
        </p>
        <LocalPasswordsForm enabled={local.enabled} breakGlassUserId={local.breakGlassUserId} admins={listPasswordAdmins(db)} />
      </section>
    </div>
  );
}
