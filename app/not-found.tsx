import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card empty-state">
      <h2>Not found</h2>
      <p>There is nothing at this address. It may have been removed, or the link may be mistyped.</p>
      <div className="row">
        <Link className="button button--primary" href="/">
          Go to the dashboard
        </Link>
      </div>
    </div>
  );
}
