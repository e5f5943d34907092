/**
 * What the sign-in page says for the `?error=` code a provider sign-in came back with. The
 * text is ours: the URL's own error_description is never shown (anyone can write a link).
 */
const MESSAGES: Record<string, string> = {
  DOMAIN_NOT_ALLOWED: "Accounts from your email domain may not sign in here.",
  NO_ACCESS: "None of your groups gives access to Deploy Safety. Ask an admin to map your group to a role.",
  EMAIL_MISSING: "The identity provider sent no email address. Ask its administrator to release the email claim.",
  EMAIL_UNVERIFIED: "The identity provider says your email address is not verified.",
  ISSUER_MISMATCH: "The identity provider answered as a different issuer than the one configured here, so sign-in was refused. Tell an admin.",
  issuer_mismatch: "The identity provider answered as a different issuer than the one configured here, so sign-in was refused. Tell an admin.",
  AUDIENCE_MISMATCH: "The identity provider's token was not issued to this app, so sign-in was refused. Tell an admin.",
  PROVIDER_DISABLED: "That sign-in provider is not enabled.",
  ACCOUNT_DISABLED: "This account is disabled. Ask an admin.",
  state_mismatch: "That sign-in was already used or has expired. Start again.",
  state_not_found: "That sign-in was already used or has expired. Start again.",
  please_restart_the_process: "That sign-in was already used or has expired. Start again.",
  access_denied: "The identity provider did not let you sign in.",
  invalid_code: "The identity provider did not accept the sign-in (the code exchange failed). Start again; if it keeps failing, tell an admin.",
  unable_to_get_user_info: "The identity provider's ID token could not be verified, so sign-in was refused. Tell an admin.",
  account_not_linked: "An account with your email exists here, but your identity provider does not say the email is verified. Ask an admin.",
  email_not_found: "The identity provider sent no email address. Ask its administrator to release the email claim.",
  oauth_provider_not_found: "That sign-in provider cannot be reached right now. Try again in a minute.",
};

export function ssoErrorMessage(code: string): string {
  return MESSAGES[code] ?? `Sign-in through the identity provider failed (${code.replace(/[^\w.-]/g, "").slice(0, 60)}). Try again; if it keeps failing, tell an admin.`;
}
