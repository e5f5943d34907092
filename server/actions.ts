import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { AppError, ValidationError, type FieldIssue } from "@/lib/api/errors";
import type { Actor, Role } from "@/lib/auth/roles";
import { requireActionRole } from "@/server/auth/guards";
import type { ActionResult, FormActionState, FormValues } from "@/lib/actions/result";

export type { ActionResult, FormActionState, FormValues } from "@/lib/actions/result";

/** The success result. */
export function ok<T>(data: T, message: string, values?: FormValues): { ok: true; data: T; message: string; values?: FormValues } {
  return { ok: true, data, message, ...(values ? { values } : {}) };
}

/** A failure the handler decides on (the wrapper adds the form's values). */
export function fail<D = never>(message: string, fieldErrors: Record<string, string[]> = {}, detail?: D): { ok: false; message: string; fieldErrors: Record<string, string[]>; detail?: D } {
  return { ok: false, message, fieldErrors, ...(detail === undefined ? {} : { detail }) };
}

/** Issues (zod's or the error model's) → every field's messages; `key` names the field an issue is shown on. */
export function issueErrors(issues: { path: PropertyKey[] }[] | FieldIssue[], key: (field: string) => string = (f) => f): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues as (FieldIssue | { path: PropertyKey[]; message: string })[]) {
    const field = "field" in i ? i.field : i.path.map(String).join(".");
    (out[key(field) || "form"] ??= []).push(i.message);
  }
  return out;
}

const SERVER_ERROR = "Something went wrong on the server.";

interface ActionContext<A extends unknown[]> {
  /** Who is acting; null for a public action. */
  actor: Actor | null;
  args: A;
  values?: FormValues;
}

/** Any result a handler hands back (what `ok` and `fail` build). */
type AnyResult = { ok: true; data: unknown } | { ok: false; message: string; fieldErrors: Record<string, string[]>; detail?: unknown };
/** The data of a handler's success, and the detail of its failures. */
type DataOf<H> = H extends { ok: true; data: infer T } ? T : never;
type DetailOf<H> = H extends { ok: false; detail?: infer D } ? Exclude<D, undefined> : never;
/** What an action returns, given what its handler does. */
export type ResultOf<H> = ActionResult<DataOf<H>, DetailOf<H>>;

interface ActionSpec<A extends unknown[], S extends z.ZodType, H extends AnyResult, R extends Role | "public"> {
  /** The least role allowed, or `public` for the two actions that need none (they check what they need). */
  role: R;
  /** The schema the input passes before the handler runs. */
  schema: S;
  /** The arguments → what the schema parses (default: the first argument). */
  input?: (...args: A) => unknown;
  /** The arguments → what a failure echoes back to the form. */
  values?: (...args: A) => FormValues | undefined;
  /** The message of a schema failure (default "Check the highlighted fields."). */
  invalid?: string | ((fieldErrors: Record<string, string[]>) => string);
  handler: (input: z.output<S>, ctx: ActionContext<A> & { actor: R extends Role ? Actor : null }) => H | Promise<H>;
}

/**
 * The one way to act: checks the caller's role (a refusal is a result, not an exception),
 * parses the input, runs the handler and turns what it throws into the same result type:
 * a ValidationError gives every field's errors, another AppError its message, anything
 * else a generic message (logged, never shown). Next's own signals (redirect, notFound)
 * pass through untouched.
 */
export function defineAction<A extends unknown[], S extends z.ZodType, H extends AnyResult, R extends Role | "public" = Role>(
  spec: ActionSpec<A, S, H, R>,
): (...args: A) => Promise<ResultOf<H>> {
  return async (...args: A) => {
    const values = spec.values?.(...args);
    const withValues = (r: AnyResult): ResultOf<H> => (!r.ok && values && !("values" in r && r.values) ? { ...r, values } : r) as ResultOf<H>;
    try {
      const actor = spec.role === "public" ? null : await requireActionRole(spec.role as Role);
      const parsed = spec.schema.safeParse(spec.input ? spec.input(...args) : args[0]);
      if (!parsed.success) {
        const fieldErrors = issueErrors(parsed.error.issues);
        const message = typeof spec.invalid === "function" ? spec.invalid(fieldErrors) : (spec.invalid ?? "Check the highlighted fields.");
        return withValues(fail(message, fieldErrors));
      }
      const ctx = { actor, args, values } as ActionContext<A> & { actor: R extends Role ? Actor : null };
      return withValues(await spec.handler(parsed.data, ctx));
    } catch (err) {
      unstable_rethrow(err);
      if (err instanceof ValidationError) return withValues(fail(err.message, issueErrors(err.issues)));
      if (err instanceof AppError) return withValues(fail(err.message));
      console.error("server action failed:", err instanceof Error ? err.message : "non-error thrown");
      return withValues(fail(SERVER_ERROR));
    }
  };
}

/** A form's fields as the schema reads them: text as posted ("" when absent), files as files. */
export function readForm(form: FormData, fields: readonly string[]): Record<string, string | File> {
  const out: Record<string, string | File> = {};
  for (const k of fields) {
    const v = form.get(k);
    out[k] = v instanceof File ? v : (v ?? "");
  }
  return out;
}

interface FormActionSpec<S extends z.ZodType, H extends AnyResult, R extends Role | "public">
  extends Omit<ActionSpec<[unknown, FormData], S, H, R>, "input" | "values"> {
  /** The fields the schema reads. */
  fields: readonly string[];
  /** The fields echoed back after a failure (never passwords). */
  keep?: readonly string[];
}

/** defineAction for a `<form>` driven by useActionState: `(previous result, FormData)`. */
export function defineFormAction<S extends z.ZodType, H extends AnyResult, R extends Role | "public" = Role>(
  spec: FormActionSpec<S, H, R>,
): (prev: FormActionState<DataOf<H>, DetailOf<H>>, form: FormData) => Promise<ResultOf<H>> {
  const { fields, keep, ...rest } = spec;
  return defineAction<[FormActionState<DataOf<H>, DetailOf<H>>, FormData], S, H, R>({
    ...(rest as Omit<ActionSpec<[FormActionState<DataOf<H>, DetailOf<H>>, FormData], S, H, R>, "input" | "values">),
    input: (_prev, form) => readForm(form, fields),
    values: keep ? (_prev, form) => Object.fromEntries(Object.entries(readForm(form, keep)).map(([k, v]) => [k, typeof v === "string" ? v : ""])) : undefined,
  });
}

/**
 * For an action posted by a plain `<form action>` (no useActionState), whose type React
 * wants as `(FormData) => Promise<void>`: it redirects when it succeeds, and React drops
 * what it returns, so its refusal result reaches only a direct caller. The same function.
 */
export function formPost<A extends unknown[]>(action: (...args: A) => Promise<ActionResult<never, unknown>>): (form?: FormData) => Promise<void> {
  return action as unknown as (form?: FormData) => Promise<void>;
}
