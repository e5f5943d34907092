export default function Loading() {
  return (
    <div className="stack" aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading the project…</span>
      <div className="skeleton" style={{ height: 64, width: "50%" }} />
      <div className="skeleton" style={{ height: 160 }} />
      <div className="skeleton" style={{ height: 320 }} />
    </div>
  );
}
