export default function Loading() {
  return (
    <div className="stack" aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading projects…</span>
      <div className="skeleton" style={{ height: 48, width: "40%" }} />
      <div className="skeleton" style={{ height: 220 }} />
      <div className="skeleton" style={{ height: 320 }} />
    </div>
  );
}
