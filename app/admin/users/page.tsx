import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { listUsers } from "@/db/queries/users";
import { ROLE_DESCRIPTIONS, ROLES } from "@/lib/auth/roles";
import { requirePageRole } from "@/server/auth/guards";
import { CreateUserForm, DisableForm, RoleForm, SetPasswordForm } from "./user-forms";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const actor = await requirePageRole("admin");
  const users = listUsers(getDb());
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="muted">Who can sign in, and what their role allows.</p>
        </div>
      </div>
      <section className="card" aria-labelledby="users-h">
        <h2 id="users-h">Accounts</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Sessions</th>
                <th scope="col">Created</th>
                <th scope="col">Access</th>
                <th scope="col">Password</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid={`user-row-${u.email}`}>
                  <td>{u.email}</td>
                  <td>{u.name}</td>
                  <td>
                    <RoleForm userId={u.id} email={u.email} role={u.role} />
                  </td>
                  <td>{u.disabled ? <span className="badge badge--danger">disabled</span> : <span className="badge badge--success">active</span>}</td>
                  <td className="num">{u.activeSessions}</td>
                  <td className="nowrap">{u.createdAt.toISOString().slice(0, 10)}</td>
                  <td>{u.id === actor.id ? <span className="muted small">you</span> : <DisableForm userId={u.id} email={u.email} disabled={u.disabled} />}</td>
                  <td>
                    {u.id === actor.id ? (
                      <Link href="/account" className="small">
                        Change yours
                      </Link>
                    ) : (
                      <SetPasswordForm userId={u.id} email={u.email} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="create-h">
        <h2 id="create-h">Create an account</h2>
        <CreateUserForm />
        <ul className="muted small">
          {ROLES.map((r) => (
            <li key={r}>
              <strong>{r}</strong>: {ROLE_DESCRIPTIONS[r]}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
