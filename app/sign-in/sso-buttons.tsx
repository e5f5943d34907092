"use client";

import { useState } from "react";
import { FormMessage } from "@/app/account/_components/form-field";

/**
 * One "Sign in with …" button per provider. Posts to better-auth's own endpoint, which sets the
 * state cookie and answers with the provider's authorization URL; the browser then goes there.
 */
export function SsoButtons({ providers, next }: { providers: { id: string; name: string }[]; next: string }) {
  const [pending, setPending] = useState<string | null>(null);
  const [message, setMessage] = useState<string>();

  async function start(id: string) {
    setPending(id);
    setMessage(undefined);
    try {
      const back = next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`;
      const res = await fetch("/api/auth/sign-in/social", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ provider: id, callbackURL: next, errorCallbackURL: back }),
      });
      const body = (await res.json().catch(() => null)) as { url?: string; message?: string } | null;
      if (res.ok && body?.url) {
        window.location.assign(body.url);
        return;
      }
      setMessage(body?.message ?? "Sign-in could not start. Try again.");
    } catch {
      setMessage("The server could not be reached. Try again.");
    }
    setPending(null);
  }

  return (
    <div className="stack">
      <FormMessage message={message} />
      {providers.map((p) => (
        <button key={p.id} type="button" className="button button--primary" disabled={pending !== null} onClick={() => start(p.id)}>
          {pending === p.id ? "Redirecting…" : `Sign in with ${p.name}`}
        </button>
      ))}
    </div>
  );
}
