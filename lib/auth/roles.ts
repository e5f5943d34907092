/** Roles, lowest first: each role may do everything the ones before it may. */
export const ROLES = ["viewer", "editor", "lead", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "read and export",
  editor: "tag incidents, import incidents and deploy events",
  lead: "set policy and targets, manage projects, close quarters, publish reports",
  admin: "manage accounts, API tokens and settings",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `actual` is at least `needed`. */
export function hasRole(actual: Role, needed: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(needed);
}

/** Who is acting: a signed-in person or an API token. */
export interface Actor {
  kind: "user" | "token" | "system";
  id: string;
  /** Email for a person, `token:NAME` for a token; what the audit trail shows. */
  label: string;
  role: Role;
}
