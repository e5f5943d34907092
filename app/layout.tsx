import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import { isDemoDataLoaded } from "@/db/queries/demo";
import { can } from "@/lib/auth/can";
import { getActor } from "@/server/auth/guards";
import { DemoBanner } from "./_components/demo-banner";
import { MainNav, type NavItem } from "./_components/main-nav";
import { UserMenu } from "./_components/user-menu";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Deploy Safety", template: "%s · Deploy Safety" },
  description: "Hours of customer impact from change-triggered incidents, per quarter, against a target.",
};

export const dynamic = "force-dynamic";

const NAV: NavItem[] = [
  { href: "/", label: "Dashboard" },
  { href: "/incidents", label: "Incidents" },
  { href: "/changes", label: "Changes" },
  { href: "/projects", label: "Projects" },
  { href: "/reports", label: "Reports" },
  { href: "/import", label: "Import" },
  { href: "/settings", label: "Settings" },
];

export default async function RootLayout({ children }: { children: ReactNode }) {
  const actor = await getActor();
  const demo = isDemoDataLoaded(getDb());
  const role = actor?.role;
  const items = NAV.filter((i) => (i.href === "/import" ? can(role, "import") : true));
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="app-header">
          <div className="app-header__inner">
            <Link href="/" className="brand">
              <span className="brand__mark" aria-hidden="true" />
              Deploy Safety
            </Link>
            {actor ? <MainNav items={items} /> : <span className="spacer" />}
            {actor ? <UserMenu actor={actor} /> : null}
          </div>
        </header>
        {demo && actor ? <DemoBanner canRemove={can(role, "editSettings")} /> : null}
        <main id="main" className="app-main">
          {children}
        </main>
      </body>
    </html>
  );
}
