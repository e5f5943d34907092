"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export interface SettingsTab {
  href: string;
  label: string;
}

/** The settings sections as tabs; the current one is marked for sighted and screen-reader users. */
export function SettingsTabs({ tabs }: { tabs: SettingsTab[] }) {
  const pathname = usePathname();
  return (
    <nav className="tabs" aria-label="Settings sections">
      {tabs.map((t) => (
        <Link key={t.href} href={t.href} aria-current={pathname === t.href || pathname.startsWith(`${t.href}/`) ? "page" : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
