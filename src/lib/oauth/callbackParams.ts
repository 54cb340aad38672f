import { oauthError } from "./errors.js";

/** Largest callback form body read (Apple's `form_post` is far smaller). */
export const MAX_CALLBACK_BODY_BYTES = 64 * 1024;

const refuse = (error: string) => oauthError({ code: "OAUTH_INVALID_RESPONSE", step: "authorization", error });

/**
 * The parameters of a callback request: the query string of a GET, the form
 * body of a POST (`response_mode=form_post`, which Apple uses).
 */
export async function readCallbackParameters(request: Request): Promise<URLSearchParams> {
  if (request.method === "GET") return new URL(request.url).searchParams;
  if (request.method !== "POST") throw refuse("method");
  const type = request.headers.get("content-type") ?? "";
  if (type.split(";")[0]?.trim().toLowerCase() !== "application/x-www-form-urlencoded") throw refuse("content_type");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_CALLBACK_BODY_BYTES) throw refuse("body_too_large");
  const body = await request.text();
  if (body.length > MAX_CALLBACK_BODY_BYTES) throw refuse("body_too_large");
  return new URLSearchParams(body);
}

/**
 * Apple's `user` form field: JSON with the user's name (and email), sent only
 * the first time the user consents. It is not signed, so only the name is
 * taken from it; the email always comes from the ID token. Malformed input
 * is ignored, as the field is optional.
 */
export function appleUserField(parameters: URLSearchParams): Record<string, unknown> | undefined {
  const value = parameters.get("user");
  if (value === null || value.length > 4096) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    const name = (parsed as { name?: unknown }).name;
    return typeof name === "object" && name !== null ? { name } : undefined;
  } catch {
    return undefined;
  }
}
