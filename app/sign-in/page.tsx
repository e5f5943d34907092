import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { FormMessage } from "@/app/account/_components/form-field";
import { usersExist } from "@/server/auth/identify";
import { getLocalPasswords, listOidcProviders } from "@/server/auth/sign-in-config";
import { safeNextPath } from "@/lib/auth/next-path";
import { ssoErrorMessage } from "@/lib/auth/sso-errors";
import { getActor } from "@/server/auth/guards";
import { SignInForm } from "./sign-in-form";
import { SsoButtons } from "./sso-buttons";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!usersExist()) redirect("/setup");
  const params = await searchParams;
  const next = safeNextPath(params.next);
  if (await getActor()) redirect(next);
  const db = getDb();
  const providers = listOidcProviders(db)
    .filter((p) => p.enabled)
    .map((p) => ({ id: p.id, name: p.name }));
  const passwords = getLocalPasswords(db).enabled || providers.length === 0;
  const error = typeof params.error === "string" ? ssoErrorMessage(params.error) : undefined;
  return (
    <div className="card" style={{ maxWidth: 420, margin: "2rem auto" }}>
      <h1>Sign in</h1>
      <FormMessage message={error} />
      {providers.length ? <SsoButtons providers={providers} next={next} /> : null}
      {passwords ? (
        <>
          {providers.length ? <p className="muted" style={{ marginTop: "1.25rem" }}>Or with a password an admin gave you:</p> : <p className="muted">Use the account an admin created for you.</p>}
          <SignInForm next={next} />
        </>
      ) : (
        <details style={{ marginTop: "1.5rem" }}>
          <summary>Break-glass admin</summary>
          <p className="muted">Password sign-in is off here, except for the break-glass admin.</p>
          <SignInForm next={next} />
        </details>
      )}
    </div>
  );
}
