import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listApiTokens } from "@/db/queries/tokens";
import { requirePageRole } from "@/server/auth/guards";
import { CreateTokenForm, RevokeTokenForm } from "./token-forms";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

function when(ms: number | null): string {
  return ms === null ? "never" : new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

export default async function TokensPage() {
  await requirePageRole("admin");
  const tokens = listApiTokens(getDb());
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>API tokens</h1>
          <p className="muted">For scripts and CI. A token acts with its role; it is shown once and stored only as a hash.</p>
        </div>
      </div>
      <section className="card" aria-labelledby="create-token-h">
        <h2 id="create-token-h">Create a token</h2>
        <CreateTokenForm />
      </section>
      <section className="card" aria-labelledby="tokens-h">
        <h2 id="tokens-h">Tokens</h2>
        {tokens.length === 0 ? (
          <p className="muted">No tokens yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Token</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id} data-testid={`token-row-${t.name}`}>
                    <td>{t.name}</td>
                    <td>{t.role}</td>
                    <td className="mono">{t.prefix}…</td>
                    <td className="nowrap">
                      {when(t.createdAt)}
                      {t.createdBy ? <span className="muted small"> by {t.createdBy}</span> : null}
                    </td>
                    <td className="nowrap">{when(t.lastUsedAt)}</td>
                    <td>{t.revokedAt ? <span className="badge badge--neutral">revoked</span> : <span className="badge badge--success">active</span>}</td>
                    <td>{t.revokedAt ? null : <RevokeTokenForm id={t.id} name={t.name} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
