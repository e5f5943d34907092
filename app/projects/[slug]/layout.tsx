import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getDb } from "@/db/client";
import { getProjectBySlug } from "@/db/queries/projects";
import { requirePageRole } from "@/server/auth/guards";

/**
 * Role and existence are decided here, above the overview's loading.tsx (and for the edit
 * page too): once a skeleton has streamed, the status is already 200 and a notFound() in the
 * page can only draw the 404 page.
 */
export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  await requirePageRole("viewer");
  if (!getProjectBySlug(getDb(), decodeURIComponent((await params).slug))) notFound();
  return children;
}
