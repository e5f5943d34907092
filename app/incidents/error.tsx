"use client";

export default function IncidentsError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="card">
      <div className="alert alert--error" role="alert">
        The incidents could not be loaded. Nothing was changed.
      </div>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
