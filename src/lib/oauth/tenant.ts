import { oauthError } from "./errors.js";

/**
 * Microsoft Entra ID's multi-tenant issuers. Discovery at
 * `https://login.microsoftonline.com/common/v2.0` names the issuer
 * `https://login.microsoftonline.com/{tenantid}/v2.0`; each ID token's `iss`
 * must then be that template with the token's own `tid` in place.
 */
export interface TenantTemplate {
  /** The issuer up to `{tenantid}`. */
  prefix: string;
  /** The issuer after `{tenantid}`. */
  suffix: string;
  /** The tenant ids accepted; undefined accepts any. */
  allowed: readonly string[] | undefined;
}

const PLACEHOLDER = "{tenantid}";
const MULTI_TENANT_SEGMENTS = new Set(["common", "organizations", "consumers"]);
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The template a discovered issuer holds, checked against the configured
 * issuer (the same URL with one path segment, e.g. `common`, in the
 * template's place); undefined when the discovered issuer is no template.
 * A configured tenant id (not common/organizations/consumers) is the only
 * tenant accepted unless `allowedTenants` says otherwise.
 */
export function tenantTemplate(
  configured: string,
  discovered: string,
  allowedTenants: readonly string[] | undefined,
): TenantTemplate | undefined {
  const at = discovered.indexOf(PLACEHOLDER);
  if (at === -1) return undefined;
  const prefix = discovered.slice(0, at);
  const suffix = discovered.slice(at + PLACEHOLDER.length);
  const segment = configured.slice(prefix.length, configured.length - suffix.length);
  const fits =
    !suffix.includes(PLACEHOLDER) &&
    configured.length > prefix.length + suffix.length &&
    configured.startsWith(prefix) &&
    configured.endsWith(suffix) &&
    !segment.includes("/");
  if (!fits) throw oauthError({ code: "OAUTH_DISCOVERY_MISMATCH", expected: configured, received: discovered });
  const allowed = allowedTenants ?? (MULTI_TENANT_SEGMENTS.has(segment) ? undefined : [segment]);
  return { prefix, suffix, allowed };
}

/** The issuer an ID token from tenant `tid` must name, or a typed refusal. */
export function issuerForTenant(template: TenantTemplate, tid: unknown): string {
  if (typeof tid !== "string" || !TENANT_ID.test(tid)) {
    throw oauthError({ code: "OAUTH_INVALID_ID_TOKEN", reason: "tenant" });
  }
  if (template.allowed !== undefined && !template.allowed.some((t) => t.toLowerCase() === tid.toLowerCase())) {
    throw oauthError({ code: "OAUTH_INVALID_ID_TOKEN", reason: "tenant" });
  }
  return `${template.prefix}${tid}${template.suffix}`;
}
