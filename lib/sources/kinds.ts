import { z } from "zod";

/**
 * The kinds of live source, what each needs, and the one schema that checks a source's
 * settings from the form, the CLI and the API alike.
 */
export const CONNECTOR_KINDS = ["pagerduty", "incidentio", "statuspage", "jira", "opsgenie"] as const;
export const WEBHOOK_ONLY_KINDS = ["github", "argocd", "deploy-webhook"] as const;
export const ALL_SOURCE_KINDS = [...CONNECTOR_KINDS, ...WEBHOOK_ONLY_KINDS] as const;
export type SourceKindName = (typeof ALL_SOURCE_KINDS)[number];
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

export interface KindInfo {
  label: string;
  /** The vendor's own API address; a test or a corporate proxy points elsewhere. */
  defaultBaseUrl: string;
  /** Whether a sync needs a credential (Statuspage's public API does not). */
  needsCredential: boolean;
  /** Has a connector (polling); otherwise webhooks only. */
  polls: boolean;
  /** What the scope field holds, for the form's hint. */
  scopeHint: string;
}

export const KIND_INFO: Record<SourceKindName, KindInfo> = {
  pagerduty: { label: "PagerDuty", defaultBaseUrl: "https://api.pagerduty.com", needsCredential: true, polls: true, scopeHint: "service ids (service:PXXXXXX) and team ids (team:PXXXXXX), comma separated; empty: all" },
  incidentio: { label: "incident.io", defaultBaseUrl: "https://api.incident.io", needsCredential: true, polls: true, scopeHint: "empty: every incident" },
  statuspage: { label: "Atlassian Statuspage", defaultBaseUrl: "https://www.githubstatus.com", needsCredential: false, polls: true, scopeHint: "the status page's address is the base URL; no scope" },
  jira: { label: "Jira / JSM", defaultBaseUrl: "https://your-site.atlassian.net", needsCredential: true, polls: true, scopeHint: "a JQL query, e.g. project = INC" },
  opsgenie: { label: "Opsgenie", defaultBaseUrl: "https://api.opsgenie.com", needsCredential: true, polls: true, scopeHint: "an Opsgenie incident search query; empty: all" },
  github: { label: "GitHub deployments (webhook)", defaultBaseUrl: "https://api.github.com", needsCredential: false, polls: false, scopeHint: "no scope" },
  argocd: { label: "Argo CD notifications (webhook)", defaultBaseUrl: "https://argocd.invalid", needsCredential: false, polls: false, scopeHint: "no scope" },
  "deploy-webhook": { label: "Generic deploy webhook", defaultBaseUrl: "https://deploys.invalid", needsCredential: false, polls: false, scopeHint: "no scope" },
};

export const SOURCE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

const baseUrl = z
  .string()
  .trim()
  .url("is not a URL (https://…)")
  .refine((u) => /^https?:\/\//i.test(u), "must start with http:// or https://")
  .transform((u) => u.replace(/\/+$/, ""));

/** A source's settings as entered; the credential is separate (write-only). */
export const sourceSettingsSchema = z.object({
  name: z.string().trim().regex(SOURCE_NAME, "1–63 lower-case letters, digits or dashes, starting with a letter or digit (it is the webhook address)"),
  kind: z.enum(ALL_SOURCE_KINDS, { message: `is not one of ${ALL_SOURCE_KINDS.join(", ")}` }),
  baseUrl: baseUrl.optional(),
  scope: z.string().trim().max(2000, "is longer than 2,000 characters").default(""),
  everyMinutes: z.coerce.number().int("must be a whole number of minutes").min(1, "must be at least 1 minute").max(10_080, "must be at most a week (10,080 minutes)").default(15),
  enabled: z.boolean().default(true),
});
export type SourceSettingsInput = z.input<typeof sourceSettingsSchema>;
export type SourceSettings = z.output<typeof sourceSettingsSchema>;

/**
 * A scope string as the kind reads it: PagerDuty `service:ID,team:ID`, Jira a JQL text,
 * Opsgenie a query; kept as `{ text, services?, teams? }`.
 */
export function parseScope(kind: SourceKindName, text: string): { ok: true; scope: Record<string, unknown> } | { ok: false; message: string } {
  const t = text.trim();
  if (kind !== "pagerduty") return { ok: true, scope: t ? { text: t } : {} };
  const services: string[] = [];
  const teams: string[] = [];
  for (const part of t.split(/[,\s]+/).filter(Boolean)) {
    const m = /^(service|team):([A-Z0-9]{2,20})$/i.exec(part);
    if (!m) return { ok: false, message: `"${part}" is not service:ID or team:ID (PagerDuty ids such as PIJ90N7)` };
    (m[1].toLowerCase() === "service" ? services : teams).push(m[2].toUpperCase());
  }
  return { ok: true, scope: { ...(t ? { text: t } : {}), ...(services.length ? { services } : {}), ...(teams.length ? { teams } : {}) } };
}
