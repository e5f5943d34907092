import Link from "next/link";

export default function IncidentNotFound() {
  return (
    <div className="card empty-state">
      <h2>No such incident</h2>
      <p>It may have been removed by undoing its import.</p>
      <div className="row">
        <Link className="button" href="/incidents">
          Back to incidents
        </Link>
      </div>
    </div>
  );
}
