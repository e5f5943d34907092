import type { Metadata } from "next";
import type { ReactNode } from "react";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { SettingsTabs, type SettingsTab } from "./settings-tabs";

export const metadata: Metadata = { title: { default: "Settings", template: "%s · Settings · Deploy Safety" } };
export const dynamic = "force-dynamic";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageRole("viewer");
  const tabs: SettingsTab[] = [{ href: "/settings/general", label: "General" }];
  if (can(actor.role, "editPolicy")) tabs.push({ href: "/settings/policy", label: "Policy" });
  tabs.push({ href: "/settings/targets", label: "Targets" }, { href: "/settings/suggestions", label: "Triage rules" });
  if (can(actor.role, "editSettings")) tabs.push({ href: "/settings/data", label: "Data" });
  if (can(actor.role, "editPolicy")) tabs.push({ href: "/settings/delivery", label: "Delivery" });
  if (actor.role === "admin") tabs.push({ href: "/settings/sources", label: "Sources" });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="muted">How quarters are cut, which incidents count, and the targets they are measured against.</p>
        </div>
      </div>
      <SettingsTabs tabs={tabs} />
      {children}
    </>
  );
}
