"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { createApiToken, revokeApiToken, TokenNameTakenError } from "@/db/queries/tokens";
import { defineFormAction, fail, ok } from "@/server/actions";
import { roleSchema, tokenNameSchema } from "@/lib/auth/schemas";

/** Creates a token and returns it once; only its hash is kept. */
export const createTokenAction = defineFormAction({
  role: "admin",
  fields: ["name", "role"],
  keep: ["name", "role"],
  schema: z.object({ name: tokenNameSchema, role: roleSchema }),
  handler: (input, { actor }) => {
    try {
      const { token, row } = createApiToken(getDb(), { ...input, createdBy: actor });
      revalidatePath("/admin/tokens");
      return ok({ token }, `Created "${row.name}" (${row.role}). Copy it now: it will not be shown again.`);
    } catch (err) {
      if (err instanceof TokenNameTakenError) return fail("Check the highlighted fields.", { name: ["A token with this name already exists"] });
      throw err;
    }
  },
});

export const revokeTokenAction = defineFormAction({
  role: "admin",
  fields: ["id"],
  schema: z.object({ id: z.coerce.number().int().positive() }),
  invalid: "Invalid token.",
  handler: (input, { actor }) => {
    const done = revokeApiToken(getDb(), { id: input.id }, actor);
    revalidatePath("/admin/tokens");
    return done ? ok(undefined, "Revoked.") : fail("That token is already revoked.");
  },
});
