import Link from "next/link";

/** Rendered (status 403) when requirePageRole() finds the role too low. */
export default function Forbidden() {
  return (
    <div className="card empty-state" role="alert">
      <h1>403 · Not allowed</h1>
      <p>Your role does not allow this page. Ask an admin if you need access.</p>
      <div className="row">
        <Link className="button" href="/">
          Go to the dashboard
        </Link>
      </div>
    </div>
  );
}
