import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { getSuggestionConfig } from "@/db/queries/triage";
import { requirePageRole } from "@/server/auth/guards";
import { hasRole } from "@/lib/auth/roles";
import { DEFAULT_SUGGESTION_RULES } from "@/lib/suggestions";
import { RulesForm } from "./rules-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Triage suggestions" };

export default async function SuggestionSettingsPage() {
  const actor = await requirePageRole("viewer");
  const cfg = getSuggestionConfig(getDb());
  return (
    <div className="stack">
      <p className="muted">
        Text rules run over each incident’s title and description; a deploy to an affected service that finished shortly before the impact
        started also suggests “change-triggered”. Suggestions are only shown, with their evidence; a person applies them.
      </p>
      <RulesForm
        initialRules={cfg.rules}
        initialWindow={cfg.windowMinutes}
        customised={cfg.customised}
        defaults={DEFAULT_SUGGESTION_RULES.map((r) => ({ ...r }))}
        canEdit={hasRole(actor.role, "lead")}
      />
    </div>
  );
}
