/** What every server action returns, readable on both sides (the wrapper is server/actions.ts). */

/** What a form typed, echoed back after a failure so nothing is lost (never passwords). */
export type FormValues = Record<string, string>;

/**
 * `message` is the one line the form shows either way; a failure carries every field's
 * errors (keyed by dotted field path, `form` for the whole input) and, for forms, what was
 * typed. `detail` holds what a failure hands back beyond that (an edit conflict, a preview
 * awaiting confirmation).
 */
export type ActionResult<T = undefined, D = never> =
  | { ok: true; data: T; message: string; values?: FormValues }
  | { ok: false; message: string; fieldErrors: Record<string, string[]>; values?: FormValues; detail?: D };

/** What `useActionState` holds: null before the first submission. */
export type FormActionState<T = undefined, D = never> = ActionResult<T, D> | null;

const NONE: Record<string, string[]> = {};

/** Every field's errors of a result, none when it succeeded or nothing was sent yet. */
export function fieldErrorsOf(state: ActionResult<unknown, unknown> | null | undefined): Record<string, string[]> {
  return state && !state.ok ? state.fieldErrors : NONE;
}
