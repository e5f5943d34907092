import type { InputHTMLAttributes } from "react";

/** A labelled input with its errors announced and linked through aria-describedby. */
export function FormField({
  name,
  id: idProp,
  label,
  errors,
  hint,
  ...input
}: { name: string; label: string; errors?: string[]; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  // An explicit id when the same form repeats on a page (one per table row).
  const id = idProp ?? `f-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type="text" aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      {errors?.length ? (
        <span id={`${id}-error`} className="field-error" role="alert">
          {errors.join(" ")}
        </span>
      ) : null}
    </div>
  );
}

export function FormMessage({ ok, message }: { ok?: boolean; message?: string }) {
  if (!message) return null;
  return (
    <div className={`alert ${ok ? "alert--success" : "alert--error"}`} role={ok ? "status" : "alert"}>
      {message}
    </div>
  );
}
