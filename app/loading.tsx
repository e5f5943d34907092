export default function Loading() {
  return (
    <div className="loading" role="status" aria-live="polite">
      <div className="skeleton" style={{ height: 28, width: 240, marginBottom: 16 }} />
      <div className="skeleton" style={{ height: 320 }} />
      <span className="sr-only">Loading…</span>
    </div>
  );
}
