import "server-only";
import { openSecret, sealSecret } from "@/lib/auth/secret-box";
import { resolveSignInKey } from "@/server/auth/secret";

/**
 * Channel secrets (webhook URLs, SMTP passwords) are sealed with the key file next to the
 * database (.sign-in-key) under their own purpose: the derived key differs, so a value sealed
 * here never opens as a sign-in secret, nor the other way round.
 */
const PURPOSE = "deploy-safety delivery channel secrets";

export class ChannelSecretUnreadableError extends Error {
  constructor(name: string) {
    super(`the stored secret of channel "${name}" cannot be decrypted (the key file next to the database changed or is missing); enter it again under Settings → Delivery`);
  }
}

export function sealChannelSecret(plain: string, databaseUrl?: string): string {
  return sealSecret(plain, resolveSignInKey(databaseUrl), PURPOSE);
}

export function openChannelSecret(sealed: string, channelName: string, databaseUrl?: string): string {
  try {
    return openSecret(sealed, resolveSignInKey(databaseUrl), PURPOSE);
  } catch {
    throw new ChannelSecretUnreadableError(channelName);
  }
}
