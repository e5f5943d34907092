"use client";

import { useState, type FormEvent } from "react";
import { FormField, FormMessage } from "@/app/account/_components/form-field";

type Errors = { email?: string[]; password?: string[] };

/**
 * Posts to better-auth's own endpoint (not a server action) so its rate limiter and
 * origin check apply; the session cookie comes back httpOnly.
 */
export function SignInForm({ next }: { next: string }) {
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const errs: Errors = {};
    if (!email) errs.email = ["Enter your email"];
    if (!password) errs.password = ["Enter your password"];
    setErrors(errs);
    setMessage(undefined);
    if (errs.email || errs.password) return;
    setPending(true);
    try {
      const res = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password, rememberMe: true }),
      });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      if (res.status === 429) {
        const body = (await res.json().catch(() => null)) as { code?: string } | null;
        // Our throttle sends Retry-After; better-auth's per-address limit sends X-Retry-After.
        const wait = Number(res.headers.get("retry-after") ?? res.headers.get("x-retry-after"));
        setMessage(
          body?.code === "ACCOUNT_LOCKED"
            ? "Too many failed sign-ins for this account from many places. Sign in from a browser you have used before, wait a few minutes, or ask an admin."
            : `Too many sign-in attempts. Try again in ${Number.isFinite(wait) && wait > 0 ? `${wait} seconds` : "a minute"}.`,
        );
      } else if (res.status === 401) {
        setMessage("The email or password is wrong.");
      } else if (res.status === 403) {
        const body = (await res.json().catch(() => null)) as { message?: string } | null;
        const body403 = body as { message?: string; code?: string } | null;
        setMessage(
          body403?.code === "PASSWORDS_OFF"
            ? "Password sign-in is turned off here: use your organisation's sign-in button."
            : body?.message === "This account is disabled."
              ? "This account is disabled. Ask an admin."
              : "Sign-in was refused.",
        );
      } else {
        setMessage("Sign-in failed. Try again.");
      }
    } catch {
      setMessage("The server could not be reached. Try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <FormMessage message={message} />
      <FormField name="email" label="Email" type="email" autoComplete="username" required autoFocus errors={errors.email} />
      <FormField name="password" label="Password" type="password" autoComplete="current-password" required errors={errors.password} />
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
