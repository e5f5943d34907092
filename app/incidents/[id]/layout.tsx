import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import { incidentExists } from "@/db/queries/incidents";
import { requirePageRole } from "@/server/auth/guards";
import { incidentIdParamSchema } from "@/lib/validation/route-params";

/**
 * Role and existence are decided here, above the page's loading.tsx: once that skeleton has
 * streamed, the status is already 200 and a notFound() in the page can only draw the 404 page.
 */
export default async function IncidentLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  await requirePageRole("viewer");
  const parsed = incidentIdParamSchema.safeParse((await params).id);
  if (!parsed.success || !incidentExists(getDb(), parsed.data)) notFound();
  return children;
}
