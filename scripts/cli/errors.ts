import { AppError, ValidationError } from "@/lib/api/errors";

/** A user-facing CLI failure: printed as one line, never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Our error model → a one-line CliError; anything else is returned as it came. */
export function toCliError(err: unknown): unknown {
  if (err instanceof ValidationError) {
    const detail = err.issues.map((i) => `${i.field}: ${i.message}`).join("; ");
    return new CliError(detail ? `${err.message} (${detail})` : err.message);
  }
  if (err instanceof AppError) return new CliError(err.message);
  return err;
}
