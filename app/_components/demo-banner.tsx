import Link from "next/link";

/** Shown on every page while the database holds the generated demo program. */
export function DemoBanner({ canRemove }: { canRemove: boolean }) {
  return (
    <div className="demo-banner" role="status" data-testid="demo-banner">
      <div className="demo-banner__inner">
        <span>
          <strong>Demo data.</strong> Every incident, project and target here was generated to show how the app works; none of it is
          real.
        </span>
        {canRemove ? (
          <Link className="button button--small" href="/settings/data">
            Remove demo data
          </Link>
        ) : (
          <span className="small">An admin can remove it under Settings → Data.</span>
        )}
      </div>
    </div>
  );
}
