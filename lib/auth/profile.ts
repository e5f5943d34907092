import { z } from "zod";
import { nameSchema } from "./schemas";

/** Images are links the browser may load: http(s) only, never `javascript:` or `data:`. */
export const profileImageSchema = z
  .string()
  .trim()
  .max(2048, "Image URL is too long")
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "https:" || u.protocol === "http:";
    } catch {
      return false;
    }
  }, "Image must be an http(s) URL");

/**
 * What someone may change about themselves through better-auth's /update-user: their name and
 * image (or remove the image with null), nothing else. Role, email and disabled stay with admins.
 */
export const profileUpdateSchema = z.strictObject(
  { name: nameSchema.optional(), image: profileImageSchema.nullable().optional() },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `Only name and image can be changed here, not ${issue.keys.join(", ")}` : undefined) },
);
