/** What an auth form's server action returns to useActionState. */
export interface FormState {
  ok?: boolean;
  /** A message for the whole form (success or failure). */
  message?: string;
  /** Every field's errors, keyed by field name. */
  errors?: Record<string, string[]>;
  /** What was typed (never passwords), so the form can be shown again. */
  values?: Record<string, string>;
  /** A newly created API token, shown once. */
  token?: string;
}

export const EMPTY_FORM_STATE: FormState = {};

/** Zod issues → every field's messages. */
export function fieldErrors(error: { issues: { path: PropertyKey[]; message: string }[] }): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** FormData → plain strings (files ignored). */
export function formValues(form: FormData, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = form.get(k);
    out[k] = typeof v === "string" ? v : "";
  }
  return out;
}
