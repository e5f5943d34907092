import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requirePageRole } from "@/server/auth/guards";
import { ProjectForm } from "../_components/project-form";
import { EMPTY_PROJECT_VALUES, scopeOptions } from "../_lib/form-values";

export const metadata: Metadata = { title: "New project" };
export const dynamic = "force-dynamic";

export default async function NewProjectPage() {
  await requirePageRole("lead");
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <p className="small">
            <Link href="/projects">Projects</Link> /
          </p>
          <h1>New project</h1>
          <p className="muted">Say what it covers, when it lands and how much it should remove; the project page then tracks whether it did.</p>
        </div>
      </div>
      <ProjectForm mode="create" initial={EMPTY_PROJECT_VALUES} options={scopeOptions(getDb())} />
    </div>
  );
}
