import { z } from "zod";
import { COMMON_PASSWORD_MESSAGE, isCommonPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./password-policy";
import { ROLES } from "./roles";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address").max(320, "Email is too long"));

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters`)
  .refine((p) => !isCommonPassword(p), COMMON_PASSWORD_MESSAGE);

export const nameSchema = z.string().trim().min(1, "Enter a name").max(100, "Name is too long");

export const roleSchema = z.enum(ROLES, { message: `Role must be one of ${ROLES.join(", ")}` });

export const newAccountSchema = z.object({ name: nameSchema, email: emailSchema, password: passwordSchema, role: roleSchema });

/** A password typed twice, as on the setup and account pages. */
export const confirmedPasswordSchema = z
  .object({ password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Passwords do not match" });

export const tokenNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(80, "Name is too long")
  .regex(/^[\w.@-]+( [\w.@-]+)*$/, "Use letters, digits, spaces and . _ - @");
