export default function Loading() {
  return (
    <div className="stack" aria-busy="true" aria-live="polite">
      <p className="loading">Loading incidents…</p>
      <div className="skeleton" style={{ height: 120 }} />
      <div className="skeleton" style={{ height: 480 }} />
    </div>
  );
}
