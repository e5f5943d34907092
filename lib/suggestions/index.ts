/**
 * Triage suggestions: text rules over title and description, and deploys that finished
 * shortly before the impact. Pure: plain data in, plain data out. A suggestion is only
 * ever shown; a person applies it.
 */
import { deploySuggestions, type DeployLike, type DeploySuggestion } from "./deploys";
import type { SuggestionRule } from "./rules";
import { textSuggestions, type TextSuggestion } from "./text";

export * from "./rules";
export * from "./text";
export * from "./deploys";

export interface SuggestionInput {
  title: string;
  description: string | null;
  /** Curated services, or the source's when none are curated. */
  services: readonly string[];
  /** Effective impact start, epoch ms. */
  impactStart: number;
}

export interface Suggestions {
  /** The overall suggestion, or null when nothing matched or the evidence disagrees. */
  trigger: "change" | "other" | null;
  changeType: string | null;
  deploySystem: string | null;
  /** The nearest matching deploy, which "accept" links. */
  deployId: number | null;
  text: TextSuggestion[];
  deploys: DeploySuggestion[];
}

/**
 * Combines the evidence. A matching deploy is the strongest: it suggests change-triggered
 * and names its deploy system. Otherwise text rules vote; when some say "change" and
 * others "other", the change side wins only if it has more matches, and a tie suggests
 * nothing (the person decides). The change type comes from the first change rule that
 * names one, else `code_deploy` for a deploy match.
 */
export function suggest(
  input: SuggestionInput,
  opts: { rules: readonly SuggestionRule[]; deploys: readonly DeployLike[]; windowMinutes: number },
): Suggestions {
  const text = textSuggestions(input.title, input.description, opts.rules);
  const deploys = deploySuggestions({ services: input.services, impactStart: input.impactStart }, opts.deploys, opts.windowMinutes);
  const change = text.filter((t) => t.trigger === "change");
  const other = text.length - change.length;
  let trigger: Suggestions["trigger"] = null;
  if (deploys.length > 0) trigger = "change";
  else if (change.length > other) trigger = "change";
  else if (other > change.length) trigger = "other";
  const nearest = deploys[0]?.deploy ?? null;
  const changeType = trigger === "change" ? (change.find((t) => t.changeType)?.changeType ?? (nearest ? "code_deploy" : null)) : null;
  return {
    trigger,
    changeType,
    deploySystem: trigger === "change" ? (nearest?.deploySystem ?? null) : null,
    deployId: trigger === "change" ? (nearest?.id ?? null) : null,
    text,
    deploys,
  };
}
