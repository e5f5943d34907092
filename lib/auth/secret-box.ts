import crypto from "node:crypto";

/**
 * AES-256-GCM for secrets kept in the database (identity providers' client secrets): the
 * stored form is `v1.<iv>.<tag>.<ciphertext>` in base64url, under a 32-byte key derived from
 * the key file's content. A wrong key or an altered value fails to open (the tag checks both).
 */
const PREFIX = "v1";

/** What a key seals: each use derives its own key, so a value sealed for one never opens as another. */
export const SIGN_IN_PURPOSE = "deploy-safety sign-in secrets";

function keyBytes(key: string, purpose: string): Buffer {
  return crypto.createHash("sha256").update(`${purpose}\0${key}`).digest();
}

export function sealSecret(plain: string, key: string, purpose: string = SIGN_IN_PURPOSE): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", keyBytes(key, purpose), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [PREFIX, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export class SecretUnreadableError extends Error {
  constructor() {
    super("a stored client secret cannot be decrypted: the key file next to the database changed or is missing; enter the secret again under Admin → Sign-in");
  }
}

export function openSecret(sealed: string, key: string, purpose: string = SIGN_IN_PURPOSE): string {
  const [prefix, iv, tag, body] = sealed.split(".");
  if (prefix !== PREFIX || !iv || !tag || body === undefined) throw new SecretUnreadableError();
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", keyBytes(key, purpose), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretUnreadableError();
  }
}
