import type { ImportFormat } from "@/lib/import/types";

/** What a connector needs to ask for a page. */
export interface ConnectorContext {
  baseUrl: string;
  scope: Record<string, unknown>;
  credential: string | null;
  /** The window, epoch ms: [since, until). */
  since: number;
  until: number;
  pageSize: number;
}

export type Cursor = Record<string, unknown>;

export interface PageRead {
  /** The page's incidents, as the vendor wrote them. */
  items: unknown[];
  /** The next page's cursor; null when this was the last. */
  next: Cursor | null;
}

/**
 * One vendor's API as pages of incidents: the request for a cursor, and the reading of an
 * answer. The page's body goes through the same reader a file import of that API's JSON uses.
 */
export interface Connector {
  vendor: string;
  format: ImportFormat;
  /** Largest page the vendor serves. */
  maxPageSize: number;
  /** How far back a window starts before the last synced point, so recent incidents' later changes (resolution) are read again. */
  overlapMs: number;
  /** How far back the first sync reaches. */
  firstWindowMs: number;
  /** The longest window the vendor accepts (PagerDuty: 6 months); longer ones are cut to it. */
  maxWindowMs?: number;
  request(ctx: ConnectorContext, cursor: Cursor | null): { url: string; headers: Record<string, string> };
  /** Reads one answer; throws SyncError naming what is wrong with a malformed one. */
  readPage(json: unknown, ctx: ConnectorContext, cursor: Cursor | null): PageRead;
}
