import Link from "next/link";

export default function ProjectNotFound() {
  return (
    <div className="empty-state">
      <h2>No such project</h2>
      <p>It may have been renamed or deleted.</p>
      <div className="row">
        <Link className="button" href="/projects">
          All projects
        </Link>
      </div>
    </div>
  );
}
