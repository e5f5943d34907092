/**
 * Text rules for triage suggestions: a phrase or regular expression matched against an
 * incident's title and description. Stored in `settings.suggestion_rules`; edited at
 * /settings/suggestions. Pure: no database, no framework.
 */
import { z } from "zod";

export interface SuggestionRule {
  /** What the person sees next to the suggestion ("Rolled back"). */
  label: string;
  /** `phrase`: case-insensitive whole-word match of the text; `regex`: a JavaScript regular expression (case-insensitive). */
  match: "phrase" | "regex";
  pattern: string;
  /** What a match suggests. */
  trigger: "change" | "other";
  /** An optional change type to suggest with `trigger: change` (`config`, `feature_flag`...). */
  changeType: string | null;
  enabled: boolean;
}

/** The rules a new database starts with (and falls back to while none are saved). */
export const DEFAULT_SUGGESTION_RULES: readonly SuggestionRule[] = [
  { label: "Rolled back", match: "regex", pattern: "\\broll(ed|ing)?[ -]?back\\b|\\brollback\\b", trigger: "change", changeType: "code_deploy", enabled: true },
  { label: "Revert", match: "regex", pattern: "\\brevert(ed|ing)?\\b", trigger: "change", changeType: null, enabled: true },
  { label: "Config change", match: "regex", pattern: "\\bconfig(uration)?\\s+(change|push|update)", trigger: "change", changeType: "config", enabled: true },
  { label: "Feature flag", match: "regex", pattern: "\\bfeature[ -]?flags?\\b|\\bflag (rollout|flip|change|turned)", trigger: "change", changeType: "feature_flag", enabled: true },
  { label: "Deploy / release", match: "regex", pattern: "\\b(deploy(ed|ment|s)?|release[ds]?|new build)\\b", trigger: "change", changeType: "code_deploy", enabled: true },
  { label: "Migration", match: "phrase", pattern: "migration", trigger: "change", changeType: "migration", enabled: true },
  { label: "Provider outage", match: "regex", pattern: "\\b(upstream|third[- ]party|cloud provider|provider)\\b.{0,40}?\\b(outage|incident|degrad\\w*|delay\\w*)", trigger: "other", changeType: null, enabled: true },
  { label: "Hardware failure", match: "phrase", pattern: "hardware failure", trigger: "other", changeType: null, enabled: true },
  { label: "DDoS", match: "regex", pattern: "\\bddos\\b", trigger: "other", changeType: null, enabled: true },
];

export const MAX_RULES = 100;
const CHANGE_TYPE = /^[a-z0-9][a-z0-9_-]{0,49}$/;

/** Compiles a rule's pattern; null when it is not valid. Phrases match whole words, case-insensitively. */
export function compileRule(rule: Pick<SuggestionRule, "match" | "pattern">): RegExp | null {
  try {
    if (rule.match === "regex") return new RegExp(rule.pattern, "i");
    const words = rule.pattern.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`(?<![\\p{L}\\p{N}])${words.join("\\s+")}(?![\\p{L}\\p{N}])`, "iu");
  } catch {
    return null;
  }
}

export const suggestionRuleSchema = z
  .strictObject({
    label: z.string().trim().min(1, "give the rule a label").max(80, "must be at most 80 characters"),
    match: z.enum(["phrase", "regex"], { error: "must be phrase or regex" }),
    pattern: z.string().trim().min(1, "enter a phrase or pattern").max(300, "must be at most 300 characters"),
    trigger: z.enum(["change", "other"], { error: "must be change or other" }),
    changeType: z
      .union([z.string(), z.null()])
      .transform((v) => (v === null ? null : v.trim() || null))
      .refine((v) => v === null || CHANGE_TYPE.test(v), "use lower-case letters, digits, _ or - (e.g. config)"),
    enabled: z.boolean().default(true),
  })
  .superRefine((r, ctx) => {
    if (r.match === "regex") {
      try {
        const re = new RegExp(r.pattern, "i");
        if (re.test("")) ctx.addIssue({ code: "custom", path: ["pattern"], message: "matches empty text, so it would match every incident" });
      } catch (err) {
        ctx.addIssue({ code: "custom", path: ["pattern"], message: `not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, "")}` });
      }
    } else if (r.pattern.length < 3) {
      ctx.addIssue({ code: "custom", path: ["pattern"], message: "a phrase needs at least 3 characters" });
    }
    if (r.trigger === "other" && r.changeType) ctx.addIssue({ code: "custom", path: ["changeType"], message: "only a change-triggered suggestion has a change type" });
  });

export const suggestionRulesSchema = z.array(suggestionRuleSchema).max(MAX_RULES, `at most ${MAX_RULES} rules`);

export const deployWindowSchema = z
  .number({ error: "must be a whole number of minutes" })
  .int("must be a whole number of minutes")
  .min(1, "must be at least 1 minute")
  .max(24 * 60, "must be at most 1440 minutes (a day)");

/**
 * The rules in force: the stored ones when they validate and are not empty, else the
 * defaults. An unreadable stored value never breaks triage.
 */
export function resolveRules(stored: unknown): SuggestionRule[] {
  if (!Array.isArray(stored) || stored.length === 0) return DEFAULT_SUGGESTION_RULES.map((r) => ({ ...r }));
  const parsed = suggestionRulesSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_SUGGESTION_RULES.map((r) => ({ ...r }));
}
