import type { OAuthProfileFields, ProfileMapper } from "./types.js";

/**
 * Profile mappers for the providers whose answers need more than the standard
 * claims. They read only data the provider was authenticated for; none of
 * them calls the network (`@auth/core`'s own `profile()` functions are not
 * used: some fetch with the global fetch and no timeout).
 */

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

/** A string id, or a safe integer id (GitHub and Discord-style numeric ids) as a string. */
const identifier = (value: unknown): string =>
  typeof value === "number" && Number.isSafeInteger(value) ? String(value) : (text(value) ?? "");

/** Standard OpenID Connect claims: `email_verified` must be the boolean `true`. */
export const standardClaims: ProfileMapper = (raw) => ({
  subject: identifier(raw.sub),
  email: text(raw.email),
  emailVerified: raw.email_verified === true && text(raw.email) !== undefined,
  name: text(raw.name) ?? text(raw.preferred_username) ?? text(raw.nickname),
  image: text(raw.picture),
});

/** A plain OAuth 2.0 userinfo answer: no email is taken as verified. */
export const genericOAuth: ProfileMapper = (raw) => ({
  subject: identifier(raw.sub ?? raw.id),
  email: text(raw.email),
  emailVerified: false,
  name: text(raw.name) ?? text(raw.login) ?? text(raw.username),
  image: text(raw.picture) ?? text(raw.avatar_url),
});

/** The name Apple sends once, in the `user` form field, kept by the callback as `raw.user`. */
function appleName(user: unknown): string | undefined {
  if (typeof user !== "object" || user === null) return undefined;
  const name = (user as { name?: unknown }).name;
  if (typeof name !== "object" || name === null) return undefined;
  const { firstName, lastName } = name as { firstName?: unknown; lastName?: unknown };
  const parts = [text(firstName), text(lastName)].filter((p) => p !== undefined);
  return parts.length > 0 ? parts.join(" ") : undefined;
}

/** Apple: `email_verified` arrives as `true` or `"true"`; the name only from the `user` field. */
export const apple: ProfileMapper = (raw) => ({
  subject: identifier(raw.sub),
  email: text(raw.email),
  emailVerified: (raw.email_verified === true || raw.email_verified === "true") && text(raw.email) !== undefined,
  name: appleName(raw.user),
});

/**
 * Microsoft Entra ID: its `email` claim is not verified by Microsoft (any
 * tenant admin can set it), so it never counts as verified here.
 */
export const entra: ProfileMapper = (raw) => ({
  subject: identifier(raw.sub),
  email: text(raw.email),
  emailVerified: false,
  name: text(raw.name) ?? text(raw.preferred_username),
});

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

function githubEmails(value: unknown): GitHubEmail[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) return [];
    const { email, primary, verified } = entry as Record<string, unknown>;
    const address = text(email);
    return address === undefined ? [] : [{ email: address, primary: primary === true, verified: verified === true }];
  });
}

/**
 * GitHub: the numeric id is the subject (logins can be renamed). The email is
 * the primary one if verified, else the first verified one; with none
 * verified, the primary address is given with `emailVerified: false`.
 */
export const github: ProfileMapper = (raw) => {
  const emails = githubEmails(raw.emails);
  const chosen =
    emails.find((e) => e.primary && e.verified) ??
    emails.find((e) => e.verified) ??
    emails.find((e) => e.primary);
  return {
    subject: identifier(raw.id),
    email: chosen?.email,
    emailVerified: chosen?.verified ?? false,
    name: text(raw.name) ?? text(raw.login),
    image: text(raw.avatar_url),
  };
};

/** Discord: `verified` says whether the account's email is verified. */
export const discord: ProfileMapper = (raw) => {
  const id = identifier(raw.id);
  const avatar = text(raw.avatar);
  return {
    subject: id,
    email: text(raw.email),
    emailVerified: raw.verified === true && text(raw.email) !== undefined,
    name: text(raw.global_name) ?? text(raw.username),
    image: avatar !== undefined ? `https://cdn.discordapp.com/avatars/${id}/${avatar}.png` : undefined,
  };
};

/** The mapper for a catalogue provider id, or undefined for the default. */
export function builtInMapper(providerId: string): ProfileMapper | undefined {
  switch (providerId) {
    case "apple":
      return apple;
    case "microsoft-entra-id":
    case "azure-ad":
      return entra;
    case "github":
      return github;
    case "discord":
      return discord;
    default:
      return undefined;
  }
}

/** Drops undefined fields, so profiles compare and serialize cleanly. */
export function compactProfile(fields: OAuthProfileFields): OAuthProfileFields {
  const out: OAuthProfileFields = { subject: fields.subject, emailVerified: fields.emailVerified };
  if (fields.email !== undefined) out.email = fields.email;
  if (fields.name !== undefined) out.name = fields.name;
  if (fields.image !== undefined) out.image = fields.image;
  return out;
}
