import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { getGeneralSettings } from "@/db/queries/general-settings";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";
import { GeneralForm } from "./general-form";

export const metadata: Metadata = { title: "General" };
export const dynamic = "force-dynamic";

export default async function GeneralSettingsPage() {
  const actor = await requirePageRole("viewer");
  const settings = getGeneralSettings(getDb());
  const timezones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return (
    <section className="card" aria-labelledby="general-title">
      <div className="card__header">
        <h2 id="general-title">General</h2>
        {!can(actor.role, "editSettings") ? <span className="badge badge--neutral">Read only: an admin can change these</span> : null}
      </div>
      <GeneralForm initial={settings} timezones={timezones} canEdit={can(actor.role, "editSettings")} />
    </section>
  );
}
