/**
 * The app's public URL: the base every link written outside a page starts with (text
 * summaries, PDFs, exports, messages). Pure: the environment and the stored setting are read
 * in server/delivery/app-url.ts. Relative imports only: lib/env.ts loads this without the
 * app's path aliases.
 */

/** Why a value is not a usable public URL, or null when it is. */
export function appUrlProblem(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return "is not a URL (the address people open the app at, e.g. https://deploy-safety.example.com)";
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return `must start with https:// or http://, not ${u.protocol}//`;
  if (u.username || u.password) return "must not carry a user name or password";
  if (u.search || u.hash) return "must not carry a query (?) or fragment (#)";
  return null;
}

/** The URL without a trailing slash ("https://ds.example.com/sub"); throws on a value appUrlProblem refuses. */
export function normalizeAppUrl(raw: string): string {
  const problem = appUrlProblem(raw.trim());
  if (problem) throw new Error(`"${raw}" ${problem}`);
  const u = new URL(raw.trim());
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
}

/** `base` + an app path ("/incidents/12"); null when there is no base, so no dead link gets written. */
export function appLink(base: string | null | undefined, path: string): string | null {
  if (!base) return null;
  return `${base.replace(/\/+$/, "")}${path.startsWith("/") ? path : `/${path}`}`;
}

/** The report page a summary, PDF or message links to: the published version when there is one. */
export function reportPath(quarter: string, publishedVersion: number | null | undefined): string {
  return `/reports/${quarter}${publishedVersion ? `?version=${publishedVersion}` : "?view=live"}`;
}
