/**
 * Every environment variable the app, the CLI and `npm start` read, each with its schema
 * and default (README's configuration table documents them). Read a variable with
 * `env("NAME")`: it is parsed on first use and again only when its value changes, so tests
 * may set variables at will. A bad value is an EnvError naming the variable, its value and
 * what is wrong, never silently replaced. `checkEnv()` reads them all at once (npm start).
 *
 * Left out on purpose: NODE_ENV and NEXT_RUNTIME (set by Next, which inlines them at build
 * time), the test and bench harnesses' own variables, and next.config.ts's NEXT_DIST_DIR
 * (see there). Relative imports only, so it loads without the app's path aliases too. Server
 * code only: lib/api/body-limits.ts, which a client component bundles, leaves it out.
 */
import { z } from "zod";
import { ROLES } from "./auth/roles";
import { MIN_FISCAL_YEAR } from "./metric/calendar";
import { appUrlProblem, normalizeAppUrl } from "./delivery/app-url";

/** A variable that cannot be read; the message names it, its value and what is wrong. */
export class EnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvError";
  }
}

export const DEFAULT_TIME_MIN = "1990-01-01T00:00:00Z";
export const DEFAULT_TIME_MAX_FUTURE_HOURS = 24;
/** The earliest TIME_MIN allowed: quarter ids of every year accepted must round-trip. */
const TIME_MIN_FLOOR = Date.UTC(MIN_FISCAL_YEAR + 1, 0, 1);
/** At most ten years ahead, so the calendar can always name the quarter. */
export const MAX_FUTURE_HOURS = 24 * 366 * 10;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

/** Unset and blank mean the same: undefined. Values are trimmed. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema.optional());
}

/** Unset and blank mean the same: `fallback`. Values are trimmed. */
function withDefault<T extends z.ZodType>(schema: T, fallback: z.util.NoUndefined<z.output<T>>) {
  return z.preprocess(blankToUndefined, schema.default(fallback));
}

const number = (test: (n: number) => boolean, message: string) =>
  z
    .string()
    .refine((v) => Number.isFinite(Number(v)) && test(Number(v)), message)
    .transform(Number);

const positive = (unit: string) => number((n) => n > 0, `must be a number of ${unit} above 0`);

const onOff = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(["on", "off"], { error: 'must be "on" or "off"' }));

const flag = z.enum(["1", "0"], { error: "must be 1 or 0" }).transform((v) => v === "1");

const DATE_OR_INSTANT = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** One schema per variable; each parses the raw string (or undefined) to what readers use. */
export const envSchema = z.object({
  /** The SQLite file: `file:` + path, a plain path, or `:memory:`. */
  DATABASE_URL: withDefault(z.string(), "file:data/deploy-safety.sqlite"),
  /** npm start only. */
  PORT: withDefault(
    z
      .string()
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, "must be a number from 1 to 65535")
      .transform(Number),
    3000,
  ),
  HOST: optional(z.string()),
  /** The public URL links written outside a page start with (lib/delivery/app-url.ts); unset: the admin setting, else no links. */
  APP_URL: optional(z.string().refine((v) => appUrlProblem(v) === null, { error: (i) => appUrlProblem(String(i.input)) ?? "is invalid" }).transform(normalizeAppUrl)),
  DEMO_DATA: withDefault(onOff, "on"),
  DASHBOARD_WARMUP: withDefault(onOff, "on"),
  /** `off`: live sources sync only when asked (Sync now, `cli sources sync`), never on their schedule. */
  SOURCES_SCHEDULER: withDefault(onOff, "on"),
  FORCE_BUILD: withDefault(flag, false),
  NEXT_DIST_DIR: withDefault(z.string(), ".next"),
  /** Unset: a secret is generated and kept next to the database (server/auth/secret.ts). */
  BETTER_AUTH_SECRET: optional(z.string()),
  /** Unset: a key is generated and kept next to the database (server/auth/secret.ts resolveSourcesKey). */
  SOURCES_SECRET_KEY: optional(z.string().min(32, "must be at least 32 characters")),
  /** Lower-cased; a header name as HTTP spells it. */
  AUTH_PROXY_HEADER: optional(
    z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "is not an HTTP header name")
      .transform((v) => v.toLowerCase()),
  ),
  AUTH_PROXY_DEFAULT_ROLE: withDefault(z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }), "viewer"),
  /** Comma-separated origins trusted besides the request's own host. */
  AUTH_TRUSTED_ORIGINS: optional(z.string()).transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean)),
  /** 1: trust X-Forwarded-Host for the host the client addressed. */
  AUTH_TRUST_PROXY: withDefault(flag, false),
  /** Addresses and CIDR ranges; parsed, with its own message per entry, in lib/auth/client-address.ts. */
  AUTH_TRUSTED_PROXIES: optional(z.string()),
  /** One OpenID Connect provider from the environment (more under Admin → Sign-in); checked as a set in server/auth/sign-in-config.ts. */
  OIDC_ISSUER: optional(z.string().refine((v) => URL.canParse(v), "is not a URL (the provider's issuer, e.g. https://login.example.com)")),
  OIDC_CLIENT_ID: optional(z.string()),
  OIDC_CLIENT_SECRET: optional(z.string()),
  OIDC_PROVIDER_ID: withDefault(z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "must be 1-40 lower-case letters, digits and dashes"), "oidc"),
  OIDC_NAME: withDefault(z.string().max(60, "must be at most 60 characters"), "single sign-on"),
  OIDC_SCOPES: withDefault(z.string(), "openid email profile"),
  OIDC_GROUPS_CLAIM: withDefault(z.string().max(100, "must be at most 100 characters"), "groups"),
  OIDC_ALLOWED_DOMAINS: optional(z.string()),
  /** `group=role,group=role`. */
  OIDC_ROLE_MAP: optional(z.string()),
  OIDC_DEFAULT_ROLE: withDefault(z.enum([...ROLES, "none"], { error: `must be one of ${ROLES.join(", ")} or none` }), "none"),
  AUTH_SIGN_IN_MAX: withDefault(positive("attempts"), 10),
  AUTH_SIGN_IN_WINDOW_SECONDS: withDefault(positive("seconds"), 60),
  AUTH_SIGN_IN_FREE_FAILURES: withDefault(positive("attempts"), 5),
  AUTH_SIGN_IN_MAX_DELAY_SECONDS: withDefault(positive("seconds"), 15 * 60),
  AUTH_ACCOUNT_LOCKOUT_MAX: withDefault(positive("addresses"), 10),
  AUTH_ACCOUNT_LOCKOUT_MINUTES: withDefault(positive("minutes"), 15),
  /** Bytes, whole; unset leaves the limit to the setting (imports) or the built-in default. */
  IMPORT_MAX_BYTES: optional(positive("bytes").transform((n) => Math.floor(n))),
  DEPLOYS_MAX_BYTES: optional(positive("bytes").transform((n) => Math.floor(n))),
  /** → epoch ms: the earliest time accepted anywhere. */
  TIME_MIN: withDefault(
    z
      .string()
      .refine((v) => DATE_OR_INSTANT.safeParse(v).success, `is not an ISO-8601 date or instant (e.g. ${DEFAULT_TIME_MIN})`)
      .transform((v) => Date.parse(v))
      .refine((ms) => ms >= TIME_MIN_FLOOR, `is before ${MIN_FISCAL_YEAR + 1}-01-01, the earliest the fiscal calendar supports`),
    Date.parse(DEFAULT_TIME_MIN),
  ),
  /** Hours after the moment of entry a time may lie. */
  TIME_MAX_FUTURE_HOURS: withDefault(
    number((n) => n >= 0 && n <= MAX_FUTURE_HOURS, `must be a number of hours from 0 to ${MAX_FUTURE_HOURS}`),
    DEFAULT_TIME_MAX_FUTURE_HOURS,
  ),
});

export type Env = z.infer<typeof envSchema>;
export type EnvName = keyof Env;
export const ENV_NAMES = Object.keys(envSchema.shape) as EnvName[];

function problem(name: EnvName, raw: string | undefined, error: z.ZodError): string {
  return `${name} "${raw?.trim()}" ${error.issues[0]?.message ?? "is invalid"}`;
}

const cache = new Map<EnvName, { raw: string | undefined; value: unknown }>();

/** The variable's parsed value (its default when unset or blank). Throws EnvError for a bad value. */
export function env<K extends EnvName>(name: K, source: Readonly<Record<string, string | undefined>> = process.env): Env[K] {
  const raw = source[name];
  const hit = cache.get(name);
  if (hit && hit.raw === raw) return hit.value as Env[K];
  const parsed = envSchema.shape[name].safeParse(raw);
  if (!parsed.success) throw new EnvError(problem(name, raw, parsed.error));
  cache.set(name, { raw, value: parsed.data });
  return parsed.data as Env[K];
}

/** Every variable at once; one EnvError naming each bad one. */
export function checkEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const name of ENV_NAMES) {
    try {
      out[name] = env(name, source);
    } catch (err) {
      if (!(err instanceof EnvError)) throw err;
      problems.push(err.message);
    }
  }
  if (problems.length) throw new EnvError(problems.join("; "));
  return out as Env;
}
