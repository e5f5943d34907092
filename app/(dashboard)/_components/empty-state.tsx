import Link from "next/link";

/** A database with no incidents: say what to do next. */
export function EmptyDashboard({ canImport }: { canImport: boolean }) {
  return (
    <div className="card empty-state" data-testid="dashboard-empty">
      <h2>No incidents yet</h2>
      <p>
        The dashboard shows hours of customer impact from change-triggered incidents per quarter. It needs incidents to count.
      </p>
      {canImport ? (
        <>
          <p>Import an export from your incident tool (CSV or JSON), or load the demo program to see how the app works.</p>
          <div className="row">
            <Link href="/import" className="button button--primary">
              Import incidents
            </Link>
          </div>
        </>
      ) : (
        <p>Ask an editor or admin to import incidents from your incident tool.</p>
      )}
      <p className="small" style={{ marginTop: "1rem" }}>
        To load the demo data instead, run <code>npm run --silent cli -- seed</code> on the server (an admin can remove it later under
        Settings → Data). Targets and the counting policy are under <Link href="/settings">Settings</Link>.
      </p>
    </div>
  );
}
