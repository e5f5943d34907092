import type { RowError } from "./types";

/** `row 881 [qb2vmff9bnf5] resolved_at: ...`: row number and source id first, for people and grep. */
export function formatRowError(e: RowError): string {
  return `row ${e.row}${e.sourceId ? ` [${e.sourceId}]` : ""} ${e.column}: ${e.reason}`;
}
