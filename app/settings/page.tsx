import { redirect } from "next/navigation";
import { can } from "@/lib/auth/can";
import { requirePageRole } from "@/server/auth/guards";

export const dynamic = "force-dynamic";

/** /settings opens the tab the person can most likely act on. */
export default async function SettingsIndex() {
  const actor = await requirePageRole("viewer");
  redirect(can(actor.role, "editSettings") ? "/settings/general" : can(actor.role, "editPolicy") ? "/settings/policy" : "/settings/targets");
}
