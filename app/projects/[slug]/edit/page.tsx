import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getProjectBySlug } from "@/db/queries/projects";
import { requirePageRole } from "@/server/auth/guards";
import { DeleteProjectForm } from "../../_components/delete-project-form";
import { ProjectForm } from "../../_components/project-form";
import { formValuesOf, scopeOptions } from "../../_lib/form-values";

export const metadata: Metadata = { title: "Edit project" };
export const dynamic = "force-dynamic";

export default async function EditProjectPage({ params }: { params: Promise<{ slug: string }> }) {
  await requirePageRole("lead");
  const { slug } = await params;
  const db = getDb();
  const project = getProjectBySlug(db, decodeURIComponent(slug));
  if (!project) notFound();
  return (
    <div className="stack">
      <div className="page-header">
        <div>
          <p className="small">
            <Link href="/projects">Projects</Link> / <Link href={`/projects/${project.slug}`}>{project.name}</Link> /
          </p>
          <h1>Edit {project.name}</h1>
        </div>
      </div>
      <ProjectForm mode="edit" initial={formValuesOf(project)} originalSlug={project.slug} updatedAt={project.updatedAt} options={scopeOptions(db)} />
      <section className="card" aria-labelledby="danger-title">
        <div className="card__header">
          <h2 id="danger-title">Delete</h2>
        </div>
        <p className="small muted">
          To record that work stopped, set the status to Curtailed instead: the project and its history stay. Deleting removes the project and its explicit attributions (the
          audit trail keeps a copy).
        </p>
        <DeleteProjectForm slug={project.slug} name={project.name} />
      </section>
    </div>
  );
}
