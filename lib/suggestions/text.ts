import { compileRule, type SuggestionRule } from "./rules";

/** A text rule that matched, with the words that matched as evidence. */
export interface TextSuggestion {
  kind: "text";
  rule: string;
  trigger: "change" | "other";
  changeType: string | null;
  field: "title" | "description";
  /** The matched text, exactly as written in the incident. */
  evidence: string;
  /** A short excerpt around the match, for context. */
  excerpt: string;
}

/** Longest text a rule is run against: enough for any description, bounded for pathological patterns. */
export const MAX_TEXT_SCANNED = 20_000;

function excerptAround(text: string, index: number, length: number): string {
  const from = Math.max(0, index - 60);
  const to = Math.min(text.length, index + length + 60);
  return `${from > 0 ? "…" : ""}${text.slice(from, to).replace(/\s+/g, " ").trim()}${to < text.length ? "…" : ""}`;
}

/**
 * Runs every enabled rule over the title, then the description. One suggestion per
 * rule (its first match, title before description). Invalid rules are skipped.
 */
export function textSuggestions(title: string, description: string | null | undefined, rules: readonly SuggestionRule[]): TextSuggestion[] {
  const out: TextSuggestion[] = [];
  const fields: ["title" | "description", string][] = [
    ["title", title.slice(0, MAX_TEXT_SCANNED)],
    ["description", (description ?? "").slice(0, MAX_TEXT_SCANNED)],
  ];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const re = compileRule(rule);
    if (!re) continue;
    for (const [field, text] of fields) {
      if (!text) continue;
      const m = re.exec(text);
      if (!m || m[0] === "") continue;
      out.push({
        kind: "text",
        rule: rule.label,
        trigger: rule.trigger,
        changeType: rule.trigger === "change" ? rule.changeType : null,
        field,
        evidence: m[0],
        excerpt: excerptAround(text, m.index, m[0].length),
      });
      break;
    }
  }
  return out;
}
