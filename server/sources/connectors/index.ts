import "server-only";
import type { ConnectorKind } from "@/lib/sources/kinds";
import { incidentioConnector } from "./incidentio";
import { jiraConnector } from "./jira";
import { opsgenieConnector } from "./opsgenie";
import { pagerdutyConnector } from "./pagerduty";
import { statuspageConnector } from "./statuspage";
import type { Connector } from "./types";

const CONNECTORS: Record<ConnectorKind, Connector> = {
  pagerduty: pagerdutyConnector,
  incidentio: incidentioConnector,
  statuspage: statuspageConnector,
  jira: jiraConnector,
  opsgenie: opsgenieConnector,
};

/** The connector of a kind; null for the webhook-only kinds. */
export function connectorFor(kind: string): Connector | null {
  return (CONNECTORS as Record<string, Connector | undefined>)[kind] ?? null;
}
