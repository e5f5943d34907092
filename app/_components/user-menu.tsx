"use client";

import Link from "next/link";
import { signOutAction } from "@/app/account/actions";
import { can } from "@/lib/auth/can";
import type { Actor } from "@/lib/auth/roles";
import styles from "./user-menu.module.css";

/** The signed-in person's menu: who and which role, links their role may use, sign out. */
export function UserMenu({ actor }: { actor: Pick<Actor, "label" | "role"> }) {
  return (
    <details className={styles.menu} data-testid="user-menu">
      <summary className={styles.summary} aria-label={`Account menu for ${actor.label}`}>
        <span>{actor.label}</span>
        <span className={styles.role}>{actor.role}</span>
      </summary>
      <div className={styles.panel}>
        <div className={styles.who}>
          Signed in as <strong>{actor.label}</strong> ({actor.role})
        </div>
        <Link href="/account">Account</Link>
        {can.viewAudit(actor.role) ? <Link href="/audit">Audit trail</Link> : null}
        {can.manageUsers(actor.role) ? <Link href="/admin/users">Users</Link> : null}
        {can.manageTokens(actor.role) ? <Link href="/admin/tokens">API tokens</Link> : null}
        {can.manageUsers(actor.role) ? <Link href="/admin/sign-in">Sign-in</Link> : null}
        <form action={signOutAction}>
          <button type="submit">Sign out</button>
        </form>
      </div>
    </details>
  );
}
