/**
 * The error model: a few classes, one mapping to HTTP status. Anything unexpected
 * becomes a generic 500 that leaks nothing.
 */

export interface FieldIssue {
  /** Dotted path of the field (`impactEnd`, `rows.3.severity`). */
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message, 422, "validation_failed");
  }
}

export class NotFoundError extends AppError {
  constructor(message = "Not found") {
    super(message, 404, "not_found");
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Sign in or send an API token") {
    super(message, 401, "unauthorized");
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "Your role does not allow this") {
    super(message, 403, "forbidden");
  }
}

/** Someone else saved first; `current` is what they saved, so the caller can decide. */
export class ConflictError extends AppError {
  constructor(
    message: string,
    readonly current?: unknown,
  ) {
    super(message, 409, "conflict");
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(message, 413, "payload_too_large");
  }
}

/** Zod issues → our field issues. */
export function issuesFromZod(error: { issues: { path: PropertyKey[]; message: string }[] }): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join(".") || "(root)", message: i.message }));
}

export function errorBody(err: unknown): { status: number; body: Record<string, unknown> } {
  if (err instanceof ValidationError) return { status: err.status, body: { error: err.code, message: err.message, issues: err.issues } };
  if (err instanceof ConflictError) return { status: err.status, body: { error: err.code, message: err.message, current: err.current } };
  if (err instanceof AppError) return { status: err.status, body: { error: err.code, message: err.message } };
  return { status: 500, body: { error: "internal_error", message: "Something went wrong on the server." } };
}

/** Maps any thrown value to a JSON response; logs unexpected errors without request data. */
export function errorResponse(err: unknown): Response {
  const { status, body } = errorBody(err);
  if (status === 500) console.error("unexpected error:", err instanceof Error ? err.message : "non-error thrown");
  return Response.json(body, { status });
}
