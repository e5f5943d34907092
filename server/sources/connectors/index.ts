import "server-only";
import type { ConnectorKind } from "@/lib/sources/kinds";
import { pagerdutyConnector } from "./pagerduty";
import type { Connector } from "./types";

/** The connectors built so far; a kind without one syncs only through webhooks. */
const CONNECTORS: Partial<Record<ConnectorKind, Connector>> = {
  pagerduty: pagerdutyConnector,
};

export function connectorFor(kind: string): Connector | null {
  return (CONNECTORS as Record<string, Connector | undefined>)[kind] ?? null;
}
