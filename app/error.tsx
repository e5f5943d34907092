"use client";

import Link from "next/link";

/** Any unexpected failure while rendering: a plain message, no internals. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card empty-state" role="alert">
      <h2>Something went wrong</h2>
      <p>The page could not be shown. Nothing you saved was lost. Try again; if it keeps failing, tell your admin the time it happened.</p>
      <div className="row">
        <button type="button" className="button button--primary" onClick={() => reset()}>
          Try again
        </button>
        <Link className="button" href="/">
          Go to the dashboard
        </Link>
      </div>
    </div>
  );
}
