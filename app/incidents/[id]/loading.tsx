export default function Loading() {
  return (
    <div className="stack" aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading the incident…</span>
      <div className="skeleton" style={{ height: 64, width: "60%" }} />
      <div className="skeleton" style={{ height: 480 }} />
    </div>
  );
}
