"use client";

import { useState } from "react";

/** Copies the quarter's text summary (GET /api/reports/<q>.txt) to the clipboard; falls back to showing it. */
export function CopySummaryButton({ href }: { href: string }) {
  const [state, setState] = useState<{ status: "idle" | "busy" | "copied" | "shown" | "error"; text?: string }>({ status: "idle" });
  async function copy() {
    setState({ status: "busy" });
    try {
      const res = await fetch(href, { credentials: "same-origin" });
      if (!res.ok) throw new Error(`${res.status}`);
      const text = await res.text();
      try {
        await navigator.clipboard.writeText(text);
        setState({ status: "copied", text });
      } catch {
        setState({ status: "shown", text });
      }
    } catch {
      setState({ status: "error" });
    }
  }
  return (
    <span className="no-print">
      <button type="button" className="button button--small" onClick={copy} disabled={state.status === "busy"}>
        {state.status === "busy" ? "Copying…" : "Copy summary"}
      </button>
      <span role="status" className="small muted" style={{ marginLeft: "0.5rem" }}>
        {state.status === "copied" ? "Copied to the clipboard." : state.status === "error" ? "Could not load the summary; try again." : ""}
      </span>
      {state.text && (state.status === "shown" || state.status === "copied") ? (
        <details open={state.status === "shown"} style={{ marginTop: "0.5rem" }}>
          <summary className="small">Summary text</summary>
          <textarea readOnly value={state.text} rows={10} style={{ width: "100%" }} aria-label="Summary text" data-testid="summary-text" onFocus={(e) => e.currentTarget.select()} />
        </details>
      ) : null}
    </span>
  );
}
