import { dictionary } from "@zxcvbn-ts/language-common";

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

let common: Set<string> | undefined;

/**
 * True when `password` is on zxcvbn-ts's list of about 49,000 passwords most seen in
 * breach corpora (all lower case, so the check ignores case: `Password123` is as guessable
 * as `password123`). Loaded on first use: the list is about 380 KB of text.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"]);
  return common.has(password.toLowerCase());
}

export const COMMON_PASSWORD_MESSAGE = "This password is on a list of common or breached passwords; choose another";
