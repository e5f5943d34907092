import "server-only";
import { openSecret, sealSecret } from "@/lib/auth/secret-box";
import { resolveSourcesKey } from "@/server/auth/secret";

/** Sources' secrets get their own derived key: a value sealed here never opens as a sign-in secret. */
const PURPOSE = "deploy-safety live source credentials";

export class SourceSecretUnreadableError extends Error {
  constructor(name: string) {
    super(`the stored credential of source "${name}" cannot be decrypted (the key next to the database changed or is missing); enter it again under Settings → Sources`);
  }
}

export function sealSourceSecret(plain: string, databaseUrl?: string): string {
  return sealSecret(plain, resolveSourcesKey(databaseUrl), PURPOSE);
}

export function openSourceSecret(sealed: string, sourceName: string, databaseUrl?: string): string {
  try {
    return openSecret(sealed, resolveSourcesKey(databaseUrl), PURPOSE);
  } catch {
    throw new SourceSecretUnreadableError(sourceName);
  }
}
