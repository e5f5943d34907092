import { afterEach, describe, expect, test, vi } from "vitest";
import { checkEnv, env, ENV_NAMES, EnvError } from "@/lib/env";
import { resolveDeploysMaxBytes } from "@/lib/api/deploys-limit";
import { signInRateLimit } from "@/server/auth/better-auth";
import { isSameOriginRequest, requestHost } from "@/lib/auth/origin";
import { proxyDefaultRole, proxyHeaderName } from "@/server/auth/proxy-sso";
import { signInThrottleConfig } from "@/lib/auth/sign-in-throttle";
import { resolveMaxImportBytes } from "@/lib/import/input";
import { readTimeMin, TimeBoundsConfigError } from "@/lib/validation/time-bounds";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("defaults", () => {
  test("with nothing set, every variable has the default README documents", () => {
    const empty = Object.fromEntries(ENV_NAMES.map((n) => [n, undefined]));
    expect(checkEnv(empty)).toMatchObject({
      DATABASE_URL: "file:data/deploy-safety.sqlite",
      PORT: 3000,
      DEMO_DATA: "on",
      DASHBOARD_WARMUP: "on",
      FORCE_BUILD: false,
      NEXT_DIST_DIR: ".next",
      AUTH_PROXY_DEFAULT_ROLE: "viewer",
      AUTH_TRUSTED_ORIGINS: [],
      AUTH_TRUST_PROXY: false,
      AUTH_SIGN_IN_MAX: 10,
      AUTH_SIGN_IN_WINDOW_SECONDS: 60,
      TIME_MIN: Date.parse("1990-01-01T00:00:00Z"),
      TIME_MAX_FUTURE_HOURS: 24,
    });
    const parsed = checkEnv(empty);
    expect(parsed.IMPORT_MAX_BYTES).toBeUndefined();
    expect(parsed.AUTH_PROXY_HEADER).toBeUndefined();
    expect(parsed.BETTER_AUTH_SECRET).toBeUndefined();
  });

  test.each(ENV_NAMES)("%s blank or spaces reads as unset", (name) => {
    expect(env(name, { [name]: "   " })).toEqual(env(name, {}));
  });
});

describe("values", () => {
  test.each([
    ["DEMO_DATA", " OFF ", "off"],
    ["PORT", "8080", 8080],
    ["AUTH_PROXY_HEADER", "X-Auth-Email", "x-auth-email"],
    ["AUTH_TRUSTED_ORIGINS", " https://a.example, ,https://b.example/ ", ["https://a.example", "https://b.example/"]],
    ["AUTH_TRUST_PROXY", "1", true],
    ["AUTH_TRUST_PROXY", "0", false],
    ["IMPORT_MAX_BYTES", "1048576.9", 1048576],
    ["TIME_MIN", "2005-03-01", Date.parse("2005-03-01T00:00:00Z")],
    ["TIME_MAX_FUTURE_HOURS", "0", 0],
  ] as const)("%s=%j reads as %j", (name, raw, value) => {
    expect(env(name, { [name]: raw })).toEqual(value);
  });
});

describe("a bad value is an EnvError naming the variable, its value and what is wrong", () => {
  test.each([
    ["DEMO_DATA", "maybe", 'DEMO_DATA "maybe" must be "on" or "off"'],
    ["DASHBOARD_WARMUP", "yes", 'DASHBOARD_WARMUP "yes" must be "on" or "off"'],
    ["PORT", "0", 'PORT "0" must be a number from 1 to 65535'],
    ["PORT", "80.5", 'PORT "80.5" must be a number from 1 to 65535'],
    ["FORCE_BUILD", "true", 'FORCE_BUILD "true" must be 1 or 0'],
    ["AUTH_TRUST_PROXY", "yes", 'AUTH_TRUST_PROXY "yes" must be 1 or 0'],
    ["AUTH_PROXY_HEADER", "X Email", 'AUTH_PROXY_HEADER "X Email" is not an HTTP header name'],
    ["AUTH_PROXY_DEFAULT_ROLE", "boss", 'AUTH_PROXY_DEFAULT_ROLE "boss" must be one of viewer, editor, lead, admin'],
    ["AUTH_SIGN_IN_MAX", "ten", 'AUTH_SIGN_IN_MAX "ten" must be a number of attempts above 0'],
    ["AUTH_ACCOUNT_LOCKOUT_MINUTES", "-5", 'AUTH_ACCOUNT_LOCKOUT_MINUTES "-5" must be a number of minutes above 0'],
    ["IMPORT_MAX_BYTES", "50MB", 'IMPORT_MAX_BYTES "50MB" must be a number of bytes above 0'],
    ["DEPLOYS_MAX_BYTES", "0", 'DEPLOYS_MAX_BYTES "0" must be a number of bytes above 0'],
    ["TIME_MIN", "yesterday", 'TIME_MIN "yesterday" is not an ISO-8601 date or instant (e.g. 1990-01-01T00:00:00Z)'],
    ["TIME_MIN", "1800-01-01", 'TIME_MIN "1800-01-01" is before 1902-01-01, the earliest the fiscal calendar supports'],
    ["TIME_MAX_FUTURE_HOURS", "a day", 'TIME_MAX_FUTURE_HOURS "a day" must be a number of hours from 0 to 87840'],
  ] as const)("%s=%j", (name, raw, message) => {
    const read = () => env(name, { [name]: raw });
    expect(read).toThrow(EnvError);
    expect(read).toThrow(message);
  });

  test("checkEnv names every bad variable in one message, and only those", () => {
    let message = "";
    try {
      checkEnv({ PORT: "http", DEMO_DATA: "x", AUTH_SIGN_IN_MAX: "3" });
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      message = (err as Error).message;
    }
    expect(message).toBe('PORT "http" must be a number from 1 to 65535; DEMO_DATA "x" must be "on" or "off"');
  });
});

describe("read on each use: a test (or an operator) changing a variable is seen at once", () => {
  test("env() follows process.env as it changes", () => {
    vi.stubEnv("AUTH_SIGN_IN_MAX", "3");
    expect(env("AUTH_SIGN_IN_MAX")).toBe(3);
    vi.stubEnv("AUTH_SIGN_IN_MAX", "7");
    expect(env("AUTH_SIGN_IN_MAX")).toBe(7);
    vi.stubEnv("AUTH_SIGN_IN_MAX", "nope");
    expect(() => env("AUTH_SIGN_IN_MAX")).toThrow('AUTH_SIGN_IN_MAX "nope"');
    vi.stubEnv("AUTH_SIGN_IN_MAX", "");
    expect(env("AUTH_SIGN_IN_MAX")).toBe(10);
  });
});

describe("the readers use it", () => {
  test("upload limits", () => {
    vi.stubEnv("IMPORT_MAX_BYTES", "");
    vi.stubEnv("DEPLOYS_MAX_BYTES", "");
    expect(resolveMaxImportBytes(1234)).toBe(1234);
    expect(resolveDeploysMaxBytes()).toBe(20 * 1024 * 1024);
    vi.stubEnv("IMPORT_MAX_BYTES", "2048");
    vi.stubEnv("DEPLOYS_MAX_BYTES", "4096");
    expect(resolveMaxImportBytes(1234)).toBe(2048);
    expect(resolveDeploysMaxBytes()).toBe(4096);
    vi.stubEnv("DEPLOYS_MAX_BYTES", "lots");
    expect(() => resolveDeploysMaxBytes()).toThrow('DEPLOYS_MAX_BYTES "lots" must be a number of bytes above 0');
  });

  test("sign-in limits and throttle", () => {
    vi.stubEnv("AUTH_SIGN_IN_MAX", "4");
    vi.stubEnv("AUTH_SIGN_IN_WINDOW_SECONDS", "");
    expect(signInRateLimit()).toEqual({ max: 4, window: 60 });
    vi.stubEnv("AUTH_SIGN_IN_FREE_FAILURES", "2.9");
    vi.stubEnv("AUTH_ACCOUNT_LOCKOUT_MINUTES", "2");
    expect(signInThrottleConfig()).toMatchObject({ freeFailures: 2, maxDelayMs: 900_000, lockoutClients: 10, lockoutWindowMs: 120_000 });
  });

  test("proxy identity header and its default role", () => {
    vi.stubEnv("AUTH_PROXY_HEADER", "");
    vi.stubEnv("AUTH_PROXY_DEFAULT_ROLE", "");
    expect(proxyHeaderName()).toBeNull();
    expect(proxyDefaultRole()).toBe("viewer");
    vi.stubEnv("AUTH_PROXY_HEADER", " X-Forwarded-Email ");
    vi.stubEnv("AUTH_PROXY_DEFAULT_ROLE", "editor");
    expect(proxyHeaderName()).toBe("x-forwarded-email");
    expect(proxyDefaultRole()).toBe("editor");
  });

  test("trusted origins (without a trailing slash) and the forwarded host", () => {
    vi.stubEnv("AUTH_TRUSTED_ORIGINS", "https://other.example/");
    vi.stubEnv("AUTH_TRUST_PROXY", "");
    const headers = new Headers({ host: "app.example", "x-forwarded-host": "public.example", origin: "https://other.example" });
    expect(isSameOriginRequest(headers)).toBe(true);
    expect(requestHost(headers)).toBe("app.example");
    vi.stubEnv("AUTH_TRUST_PROXY", "1");
    expect(requestHost(headers)).toBe("public.example");
  });

  test("the time bounds keep their own error class, an EnvError", () => {
    vi.stubEnv("TIME_MIN", "soon");
    expect(() => readTimeMin()).toThrow(TimeBoundsConfigError);
    expect(() => readTimeMin()).toThrow(EnvError);
    expect(readTimeMin("2001-01-01")).toBe(Date.parse("2001-01-01T00:00:00Z"));
  });
});
