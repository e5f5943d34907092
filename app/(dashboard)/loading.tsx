/** The dashboard's skeleton while its figures are computed (the first view after a start or a large import reads every incident). Only `/` sits under it, so no other page's 403/404 status is fixed at 200 by its streaming. */
export default function Loading() {
  return (
    <div className="loading" role="status" aria-live="polite">
      <div className="skeleton" style={{ height: 28, width: 240, marginBottom: 16 }} />
      <div className="skeleton" style={{ height: 120, marginBottom: 16 }} />
      <div className="skeleton" style={{ height: 320 }} />
      <span className="sr-only">Loading the dashboard…</span>
    </div>
  );
}
