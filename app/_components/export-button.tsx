import styles from "./export-button.module.css";

export type ExportFormat = "csv" | "json";

export interface ExportButtonProps {
  /** The export endpoint without its extension, e.g. "/api/export/incidents". */
  href: string;
  /** Query parameters carried over (a table's filters); empty values are left out. */
  params?: Record<string, string | number | boolean | null | undefined> | URLSearchParams;
  /** What is exported, for screen readers and the tooltip: "quarters", "incidents in FY2026-Q3". */
  what: string;
  formats?: ExportFormat[];
  /** Offer a CSV for spreadsheets too (`excel=1`: BOM, local times); on whenever CSV is offered. */
  spreadsheet?: boolean;
}

function query(params: ExportButtonProps["params"], extra: Record<string, string> = {}): string {
  const sp = params instanceof URLSearchParams ? new URLSearchParams(params) : new URLSearchParams();
  if (params && !(params instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") sp.set(k, String(v));
  }
  for (const [k, v] of Object.entries(extra)) sp.set(k, v);
  const s = sp.toString();
  return s ? `?${s}` : "";
}

/**
 * "Export: CSV | JSON" beside a table or chart. Plain download links (work without
 * JavaScript, reachable with Tab, announced with what they export); hidden in print.
 *
 * @example <ExportButton href="/api/export/quarters" what="quarterly figures" />
 */
export function ExportButton({ href, params, what, formats = ["csv", "json"], spreadsheet = formats.includes("csv") }: ExportButtonProps) {
  const q = query(params);
  return (
    <span className={`${styles.group} no-print`} role="group" aria-label={`Export ${what}`}>
      <span className={styles.label} aria-hidden="true">
        <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <path d="M8 1v9m0 0L4.5 6.5M8 10l3.5-3.5M2 11v3h12v-3" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        Export
      </span>
      {formats.map((f) => (
        <a key={f} className={styles.link} href={`${href}.${f}${q}`} download title={`Download ${what} as ${f.toUpperCase()}`} aria-label={`${f.toUpperCase()} (${what})`}>
          {f.toUpperCase()}
        </a>
      ))}
      {spreadsheet ? (
        <a
          className={styles.link}
          href={`${href}.csv${query(params, { excel: "1" })}`}
          download
          title={`Download ${what} as CSV for a spreadsheet: local times, accents kept in Excel`}
          aria-label={`CSV for spreadsheets (${what})`}
        >
          Excel
        </a>
      ) : null}
    </span>
  );
}
