import { sha256Hex } from "../../lib/crypto.js";

/**
 * The flow cookie (OA-2): the callback must come from the browser that was
 * sent to the provider. The start route sets a cookie holding the flow's
 * binding secret; the callback presents it with the state, and the
 * challenge store refuses (and burns) a state without its binding. One
 * cookie per flow, named after the state's hash, so flows in two tabs do
 * not overwrite each other and the name says nothing about the secret.
 *
 * On an https site origin it is `__Host-` prefixed, `Secure`, `HttpOnly` and
 * `SameSite=None` (Apple's `form_post` callback is a cross-site POST, which a
 * `Lax` cookie would not join). On plain-http loopback (local development)
 * browsers refuse `Secure`, so it is `SameSite=Lax` there: the provider is
 * then on loopback too, the same site.
 */
const NAME = "warden_oauth_";
const utf8 = new TextEncoder();

/** The cookie's name for a flow's state. */
export function cookieName(state: string, secure: boolean): string {
  return `${secure ? "__Host-" : ""}${NAME}${sha256Hex(utf8.encode(state)).slice(0, 16)}`;
}

function attributes(secure: boolean, maxAgeSeconds: number): string {
  const base = `Path=/; HttpOnly; Max-Age=${maxAgeSeconds}`;
  return secure ? `${base}; Secure; SameSite=None` : `${base}; SameSite=Lax`;
}

/** `Set-Cookie` for a flow's binding, living as long as the flow. */
export function setFlowCookie(state: string, binding: string, secure: boolean, lifetimeMs: number): string {
  return `${cookieName(state, secure)}=${binding}; ${attributes(secure, Math.ceil(lifetimeMs / 1000))}`;
}

/** `Set-Cookie` that removes a flow's cookie once its callback arrived. */
export function clearFlowCookie(state: string, secure: boolean): string {
  return `${cookieName(state, secure)}=; ${attributes(secure, 0)}`;
}

/** The value of cookie `name` in the request, if it carries exactly one. */
export function readCookie(request: Request, name: string): string | undefined {
  const found: string[] = [];
  for (const header of (request.headers.get("cookie") ?? "").split(/;\s*/)) {
    const at = header.indexOf("=");
    if (at > 0 && header.slice(0, at).trim() === name) found.push(header.slice(at + 1).trim());
  }
  return found.length === 1 ? found[0] : undefined;
}
