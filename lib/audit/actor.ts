import type { Actor } from "@/lib/auth/roles";

/**
 * Who a write is recorded against in the audit trail: the acting user's or token's id
 * (null or absent for the system and for sign-ins that found no user) and the label the
 * trail shows. A signed-in Actor is one as it is; queries that write take this, not Actor,
 * because the CLI, the importer and the auth hooks act without a role.
 */
export type AuditActor = { id?: Actor["id"] | null; label: Actor["label"] };
