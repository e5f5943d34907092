"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { createApiToken, revokeApiToken, TokenNameTakenError } from "@/db/queries/tokens";
import { AppError } from "@/lib/api/errors";
import { fieldErrors, formValues, type FormState } from "@/lib/auth/form-state";
import { roleSchema, tokenNameSchema } from "@/lib/auth/schemas";
import { requireActionRole } from "@/server/auth/guards";

const createSchema = z.object({ name: tokenNameSchema, role: roleSchema });

/** Creates a token and returns it once; only its hash is kept. */
export async function createTokenAction(_prev: FormState, form: FormData): Promise<FormState> {
  let actor;
  try {
    actor = await requireActionRole("admin");
  } catch (err) {
    if (err instanceof AppError) return { message: err.message };
    throw err;
  }
  const values = formValues(form, ["name", "role"]);
  const parsed = createSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values, message: "Check the highlighted fields." };
  try {
    const { token, row } = createApiToken(getDb(), { ...parsed.data, createdBy: actor });
    revalidatePath("/admin/tokens");
    return { ok: true, token, message: `Created "${row.name}" (${row.role}). Copy it now: it will not be shown again.` };
  } catch (err) {
    if (err instanceof TokenNameTakenError) return { errors: { name: ["A token with this name already exists"] }, values, message: "Check the highlighted fields." };
    throw err;
  }
}

const revokeSchema = z.object({ id: z.coerce.number().int().positive() });

export async function revokeTokenAction(_prev: FormState, form: FormData): Promise<FormState> {
  let actor;
  try {
    actor = await requireActionRole("admin");
  } catch (err) {
    if (err instanceof AppError) return { message: err.message };
    throw err;
  }
  const parsed = revokeSchema.safeParse(formValues(form, ["id"]));
  if (!parsed.success) return { errors: fieldErrors(parsed.error), message: "Invalid token." };
  const done = revokeApiToken(getDb(), { id: parsed.data.id }, actor);
  revalidatePath("/admin/tokens");
  return done ? { ok: true, message: "Revoked." } : { message: "That token is already revoked." };
}
