import type { Metadata } from "next";
import { ROLE_DESCRIPTIONS } from "@/lib/auth/roles";
import { requirePageRole } from "@/server/auth/guards";
import { signOutEverywhereAction } from "./actions";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const actor = await requirePageRole("viewer");
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <h1>Account</h1>
          <p className="muted">
            {actor.label} · <span className="badge badge--info">{actor.role}</span> {ROLE_DESCRIPTIONS[actor.role]}
          </p>
        </div>
      </div>
      <div className="grid grid--2">
        <section className="card" aria-labelledby="pw-h">
          <h2 id="pw-h">Change password</h2>
          <ChangePasswordForm />
        </section>
        <section className="card" aria-labelledby="everywhere-h">
          <h2 id="everywhere-h">Sign out everywhere</h2>
          <p className="muted">Ends every session of this account on every device, this one included. Use it if you signed in on a shared computer or lost a device.</p>
          <form action={signOutEverywhereAction}>
            <button type="submit" className="button button--danger">
              Sign out everywhere
            </button>
          </form>
        </section>
      </div>
    </div>
  );
}
