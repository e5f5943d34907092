/**
 * What each role may do, for the UI to hide controls a role cannot use. Pure: no server
 * imports, safe in client components. The server still enforces every rule through
 * requirePageRole / requireActionRole / withRole; hiding is a courtesy, not the check.
 */
import { hasRole, type Role } from "./roles";

/** The least role each action needs. */
export const ACTION_ROLES = {
  read: "viewer",
  export: "viewer",
  tag: "editor",
  import: "editor",
  editDeploys: "editor",
  editPolicy: "lead",
  editTargets: "lead",
  manageProjects: "lead",
  closeQuarter: "lead",
  publish: "lead",
  viewAudit: "lead",
  admin: "admin",
  manageUsers: "admin",
  manageTokens: "admin",
  editSettings: "admin",
} as const satisfies Record<string, Role>;

export type Action = keyof typeof ACTION_ROLES;

type MaybeRole = Role | null | undefined;

function check(role: MaybeRole, action: Action): boolean {
  return !!role && hasRole(role, ACTION_ROLES[action]);
}

type Checks = { [A in Action]: (role: MaybeRole) => boolean };

/**
 * `can(role, "tag")` or `can.tag(role)`; a missing role (signed out) may do nothing.
 */
export const can: ((role: MaybeRole, action: Action) => boolean) & Checks = Object.assign(
  (role: MaybeRole, action: Action) => check(role, action),
  Object.fromEntries((Object.keys(ACTION_ROLES) as Action[]).map((a) => [a, (role: MaybeRole) => check(role, a)])) as Checks,
);
