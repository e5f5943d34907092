/**
 * THE SERVER-ACTION ROLE MATRIX: the counterpart of tests/e2e/support/endpoints.ts for
 * `"use server"` modules. Every exported function of every `"use server"` file belongs here
 * (TypeScript refuses a module entry that leaves an export out; tests/db/action-guards.test.ts
 * also checks at run time, and that every `"use server"` file in the tree is listed).
 *
 * For each row, tests/db/action-guards.test.ts calls the action on its own copy of a seeded
 * database, as each caller in turn:
 *   - guarded rows: anonymous, a cross-site request carrying an admin's session, and each
 *     role below `role` are refused (the guard's message as a failed ActionResult, never an
 *     exception) and write nothing; `role` and every role above it write something.
 *   - public rows: a cross-site request writes nothing; the callers in `writes` write
 *     something; every other caller writes nothing.
 *
 * "Write something" is what makes the refusals mean anything: `args` must be a VALID call
 * that changes the database when the guard lets it through, so an action whose guard is
 * missing or too weak writes for a caller that should have been refused.
 */
import type { Role } from "@/lib/auth/roles";
import { ensureSetupCode } from "@/server/auth/setup-code";

/** Who calls: nobody signed in, a session of one role, or an admin's session sent cross-site. */
export type Caller = "anonymous" | "cross-site" | Role;

/** What the seeded database holds for the rows' arguments (see seedActionFixture in the test). */
export interface ActionFixture {
  /** The password every seeded account signs in with. */
  password: string;
  /** A viewer the admin actions act on; never one of the callers. */
  targetUserId: string;
  /** An identity provider saved under Admin → Sign-in. */
  oidcProviderId: string;
  /** An unrevoked API token. */
  tokenId: number;
  project: { slug: string; updatedAt: number };
  /** Untriaged, attributed to `project`, its title matches a default suggestion rule. */
  untriaged: { id: number; version: number };
  /** Triaged as a change, not yet reviewed. */
  triaged: { id: number };
  /** An applied import batch. */
  importBatchId: number;
  presetName: string;
  /** A bulk mark (markFilteredIncidents) not yet undone. */
  bulkMarkId: string;
  /** The current policy version and its policy. */
  policy: { id: number; policy: unknown };
  /** An ended quarter with no target, closure or narrative. */
  pastQuarter: string;
  /** A quarter with no target yet. */
  futureQuarter: string;
  /** The external id of a deploy event no incident links yet. */
  deployRef: string;
  /** Settings → Delivery: a Slack channel, a digest schedule to it, and a failed message. */
  delivery: { channelId: number; scheduleId: number; failedOutboxId: number };
}

interface Row<A extends unknown[]> {
  /** A valid call that writes to the database when the guard lets it through. */
  args: (f: ActionFixture) => A;
}

export interface GuardedRow<A extends unknown[]> extends Row<A> {
  /** The least role allowed (requireActionRole(role)). */
  role: Role;
}

export interface PublicRow<A extends unknown[]> extends Row<A> {
  /** Why this action needs no role. */
  public: string;
  /** Callers whose call writes; everyone else (cross-site always) writes nothing. */
  writes: Caller[];
  /** `no-accounts`: run against a migrated database with no account yet (first-run setup). */
  fixture?: "no-accounts";
}

export type ActionRow<A extends unknown[] = unknown[]> = GuardedRow<A> | PublicRow<A>;

type Rows<M> = { [K in keyof M]: M[K] extends (...args: infer A) => Promise<unknown> ? ActionRow<A> : never };

export interface ActionModule {
  /** Path from the repository root. */
  file: string;
  load: () => Promise<Record<string, unknown>>;
  rows: Record<string, ActionRow>;
}

function actionModule<M>(file: string, load: () => Promise<M>, rows: Rows<M>): ActionModule {
  return { file, load: load as () => Promise<Record<string, unknown>>, rows: rows as Record<string, ActionRow> };
}

/** A FormData of plain fields, as a form posts it. */
export function form(fields: Record<string, string | File>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

/** What useActionState passes before the first submission. */
const PREV = null;

export const ACTION_MODULES: ActionModule[] = [
  actionModule("app/setup/actions.ts", () => import("@/app/setup/actions"), {
    setupAction: {
      public: "first run: creates the first admin while no account exists; once one does, it sends everyone to /sign-in and writes nothing",
      fixture: "no-accounts",
      writes: ["anonymous"],
      // The code the server keeps next to its database (DATABASE_URL's folder, as the action reads it).
      args: () => [PREV, form({ code: ensureSetupCode(), name: "First Admin", email: "first@example.com", password: "first admin password", confirm: "first admin password" })],
    },
  }),
  actionModule("app/account/actions.ts", () => import("@/app/account/actions"), {
    signOutAction: {
      public: "ends the caller's own session, if any; nothing to end when signed out",
      writes: ["viewer", "editor", "lead", "admin"],
      args: () => [],
    },
    signOutEverywhereAction: { role: "viewer", args: () => [] },
    changePasswordAction: { role: "viewer", args: (f) => [PREV, form({ currentPassword: f.password, newPassword: "a brand new password", confirm: "a brand new password" })] },
  }),
  actionModule("app/admin/users/actions.ts", () => import("@/app/admin/users/actions"), {
    createUserAction: { role: "admin", args: () => [PREV, form({ name: "New Person", email: "new.person@example.com", role: "editor", password: "new person password" })] },
    changeRoleAction: { role: "admin", args: (f) => [PREV, form({ userId: f.targetUserId, role: "lead" })] },
    setDisabledAction: { role: "admin", args: (f) => [PREV, form({ userId: f.targetUserId, disabled: "true" })] },
    setPasswordAction: { role: "admin", args: (f) => [PREV, form({ userId: f.targetUserId, password: "a reset password", confirm: "a reset password" })] },
  }),
  actionModule("app/admin/sign-in/actions.ts", () => import("@/app/admin/sign-in/actions"), {
    saveProviderAction: {
      role: "admin",
      args: () => [
        PREV,
        form({ mode: "new", id: "matrix-new-idp", name: "Matrix IdP", issuer: "https://idp.example.com", clientId: "matrix", clientSecret: "matrix secret", scopes: "openid email groups", groupsClaim: "groups", allowedDomains: "example.com", roleMap: "sre = editor", defaultRole: "none", enabled: "on" }),
      ],
    },
    deleteProviderAction: { role: "admin", args: (f) => [PREV, form({ id: f.oidcProviderId })] },
    setLocalPasswordsAction: { role: "admin", args: () => [PREV, form({ passwords: "on", breakGlassUserId: "" })] },
  }),
  actionModule("app/admin/tokens/actions.ts", () => import("@/app/admin/tokens/actions"), {
    createTokenAction: { role: "admin", args: () => [PREV, form({ name: "matrix-new", role: "viewer" })] },
    revokeTokenAction: { role: "admin", args: (f) => [PREV, form({ id: String(f.tokenId) })] },
  }),
  actionModule("app/settings/actions.ts", () => import("@/app/settings/actions"), {
    updateGeneralSettingsAction: {
      role: "admin",
      args: () => [PREV, form({ fiscalYearStartMonth: "2", timezone: "Europe/Berlin", fiscalYearLabel: "start", maturityDays: "45", deployWindowMinutes: "90", causeWindowHours: "48", rollbackWindowHours: "12" })],
    },
    savePolicyAction: { role: "lead", args: (f) => [{ policy: f.policy.policy, note: "matrix", baseVersion: f.policy.id, confirmed: true }] },
    setTargetAction: { role: "lead", args: (f) => [PREV, form({ quarter: f.futureQuarter, hours: "12", note: "" })] },
    removeDemoDataAction: { role: "admin", args: () => [PREV, form({ confirm: "yes" })] },
  }),
  actionModule("app/settings/sources/actions.ts", () => import("@/app/settings/sources/actions"), {
    // A Statuspage source needs no credential, so a valid call creates one.
    saveSourceAction: {
      role: "admin",
      args: () => [PREV, form({ originalName: "", name: "matrix-status", kind: "statuspage", baseUrl: "https://status.example.com", scope: "", everyMinutes: "15", enabled: "on", credential: "", webhookSecret: "" })],
    },
  }),
  actionModule("app/settings/delivery/actions.ts", () => import("@/app/settings/delivery/actions"), {
    saveAppUrlAction: { role: "admin", args: () => [PREV, form({ appUrl: "https://ds.example.com" })] },
    saveChannelAction: { role: "admin", args: () => [PREV, form({ id: "", kind: "teams", name: "matrix-teams", secret: "https://example.webhook.office.com/x" })] },
    deleteChannelAction: { role: "admin", args: (f) => [PREV, form({ id: String(f.delivery.channelId) })] },
    sendTestAction: { role: "admin", args: (f) => [PREV, form({ id: String(f.delivery.channelId) })] },
    saveScheduleAction: {
      role: "lead",
      args: (f) => {
        const fd = form({ name: "Matrix digest", kind: "digest", weekday: "2", hour: "8", timezone: "Europe/Berlin" });
        fd.append("channelIds", String(f.delivery.channelId));
        return [PREV, fd];
      },
    },
    deleteScheduleAction: { role: "lead", args: (f) => [PREV, form({ id: String(f.delivery.scheduleId) })] },
    sendScheduleNowAction: { role: "lead", args: (f) => [PREV, form({ id: String(f.delivery.scheduleId) })] },
    retryDeliveryAction: { role: "lead", args: (f) => [PREV, form({ id: String(f.delivery.failedOutboxId) })] },
    saveAlertsAction: {
      role: "lead",
      args: (f) => {
        const fd = form({ forecastOverTarget: "on", incidentHours: "10", untriagedDays: "" });
        fd.append("channelIds", String(f.delivery.channelId));
        return [PREV, fd];
      },
    },
  }),
  actionModule("app/settings/suggestions/actions.ts", () => import("@/app/settings/suggestions/actions"), {
    saveSuggestionRulesAction: {
      role: "lead",
      args: () => [{ rules: [{ label: "Matrix", match: "phrase", pattern: "matrix rule", trigger: "change", changeType: null, enabled: true }], windowMinutes: 45 }],
    },
  }),
  actionModule("app/incidents/actions.ts", () => import("@/app/incidents/actions"), {
    saveCurationAction: { role: "editor", args: (f) => [f.untriaged.id, { version: f.untriaged.version, trigger: "other" }] },
    triageAction: { role: "editor", args: (f) => [{ incidentId: f.untriaged.id, trigger: "change", version: f.untriaged.version }] },
    bulkEditAction: { role: "editor", args: (f) => [{ ids: [f.untriaged.id, f.triaged.id], remediation: "manual_fix" }] },
    acceptSuggestionsAction: { role: "editor", args: (f) => [[f.untriaged.id]] },
    reviewAction: { role: "lead", args: (f) => [f.triaged.id, true] },
    bulkReviewAction: { role: "lead", args: (f) => [[f.triaged.id]] },
    markFilteredAction: { role: "editor", args: () => ["", { analysisStatus: "final" }] },
    undoBulkMarkAction: { role: "editor", args: (f) => [f.bulkMarkId] },
  }),
  actionModule("app/incidents/[id]/causing-change-actions.ts", () => import("@/app/incidents/[id]/causing-change-actions"), {
    // An empty set of causes ("none of these") is recorded, so this call writes.
    setDeployLinksAction: { role: "editor", args: (f) => [f.triaged.id, "cause", []] },
    bulkLinkCauseAction: { role: "editor", args: (f) => [{ ids: [f.triaged.id], deploy: f.deployRef }] },
  }),
  actionModule("app/import/actions.ts", () => import("@/app/import/actions"), {
    undoBatchAction: { role: "editor", args: (f) => [{ batchId: f.importBatchId }] },
    savePresetAction: {
      role: "editor",
      args: () => [{ name: "matrix new preset", mapping: { columns: { Ticket: "id", Headline: "title", Opened: "started_at" }, timezone: "UTC" } }],
    },
    deletePresetAction: { role: "editor", args: (f) => [{ name: f.presetName }] },
    mapSeveritiesAction: { role: "lead", args: () => [{ choices: { "Matrix sev": "high" }, fileName: "matrix.csv" }] },
  }),
  actionModule("app/projects/actions.ts", () => import("@/app/projects/actions"), {
    createProjectAction: { role: "lead", args: () => [PREV, form({ slug: "matrix-created", name: "Matrix created" })] },
    updateProjectAction: {
      role: "lead",
      args: (f) => [PREV, form({ originalSlug: f.project.slug, updatedAt: String(f.project.updatedAt), slug: f.project.slug, name: "Renamed by the matrix" })],
    },
    deleteProjectAction: { role: "lead", args: (f) => [PREV, form({ slug: f.project.slug })] },
    importProjectsAction: {
      role: "lead",
      args: () => [PREV, form({ file: new File(["slug,name\nmatrix-imported,Imported by the matrix\n"], "projects.csv", { type: "text/csv" }) })],
    },
    detachIncidentAction: { role: "editor", args: (f) => [PREV, form({ slug: f.project.slug, incidentId: String(f.untriaged.id) })] },
    applySuggestedTargetAction: { role: "lead", args: (f) => [PREV, form({ quarter: f.futureQuarter, hours: "7.5", reasoning: "matrix" })] },
  }),
  actionModule("app/reports/actions.ts", () => import("@/app/reports/actions"), {
    saveNarrativeAction: { role: "lead", args: (f) => [PREV, form({ quarter: f.pastQuarter, narrative: "Written by the matrix." })] },
    publishReportAction: { role: "lead", args: (f) => [PREV, form({ quarter: f.pastQuarter, confirm: "yes" })] },
  }),
];
