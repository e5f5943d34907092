import Link from "next/link";
import { getDb } from "@/db/client";
import { failingSources } from "@/db/queries/sources";

/** Failed runs in a row after which a live source shows on the dashboard as failing. */
export const FAILING_AFTER = 3;

const when = (ms: number | null) => (ms ? new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "never");

/**
 * Live sources that keep failing: their incidents stop arriving, so recent quarters may be
 * missing impact. Shown under data completeness; nothing when every source is healthy.
 */
export function FailingSources() {
  const failing = failingSources(getDb(), FAILING_AFTER);
  if (!failing.length) return null;
  return (
    <div className="alert alert--error" role="alert" data-testid="failing-sources">
      <strong>
        {failing.length === 1 ? "A live source keeps failing" : `${failing.length} live sources keep failing`}: recent incidents may be missing.
      </strong>
      <ul>
        {failing.map((f) => (
          <li key={f.name}>
            <strong>{f.name}</strong> ({f.kind}): {f.failures} failed syncs in a row, last success {when(f.since)}
            {f.error ? `: ${f.error}` : ""}
          </li>
        ))}
      </ul>
      <Link href="/settings/sources">Check it under Settings → Sources</Link>
    </div>
  );
}
