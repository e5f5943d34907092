import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * How people sign in, as an admin set it under Admin → Sign-in, one JSON value per key:
 * `oidc_providers` (the identity providers, client secrets encrypted) and `local_passwords`
 * (whether password sign-in is on, and the break-glass admin kept when it is off).
 */
export const signInConfig = sqliteTable("sign_in_config", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).$type<unknown>().notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by"),
});
