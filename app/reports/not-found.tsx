import Link from "next/link";

export default function ReportNotFound() {
  return (
    <div className="card empty-state">
      <h2>No such report</h2>
      <p>
        Reports are named by fiscal quarter, like <code>FY2026-Q3</code>. The quarter must have started, and a <code>version</code> must be one that was
        published.
      </p>
      <div className="row">
        <Link className="button button--primary" href="/reports">
          All reports
        </Link>
      </div>
    </div>
  );
}
