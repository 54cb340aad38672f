import type { ClientAuthentication, ClientSecret, OAuthProvider, ProfileMapper, ProfileSource } from "./types.js";
import { configuredEndpoint } from "./urls.js";

/** ID token algorithms accepted unless a provider says otherwise: asymmetric only. */
export const DEFAULT_ID_TOKEN_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA", "Ed25519"] as const;

const ASYMMETRIC_ALGORITHMS = new Set([
  "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
]);

/** Parameters the protocol steps set themselves; a provider config cannot change them. */
const RESERVED_PARAMS = new Set([
  "response_type", "client_id", "redirect_uri", "state", "nonce", "code_challenge", "code_challenge_method",
]);

export const CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

/** Everything a provider is built from, before checking. */
export interface ProviderFields {
  id: string;
  name: string;
  protocol: "oidc" | "oauth2";
  issuer: string | undefined;
  endpoints: { authorization?: string; token?: string; userinfo?: string };
  authorizationParams: Record<string, string>;
  clientId: string | undefined;
  clientSecret: ClientSecret | undefined;
  clientAuthMethod: string | undefined;
  idTokenAlgorithms: readonly string[] | undefined;
  issuerTemplate: "none" | "tenantid";
  allowedTenants: readonly string[] | undefined;
  profileSource: ProfileSource;
  fetchUserinfo: "always" | "whenMissingEmail";
  profile: ProfileMapper;
  requireVerifiedEmail: boolean;
}

const fail = (id: string, problem: string): never => {
  throw new TypeError(`convex-warden: OAuth provider "${id}": ${problem}`);
};

function clientAuthentication(fields: ProviderFields): ClientAuthentication {
  const method = fields.clientAuthMethod ?? "client_secret_basic";
  if (!(CLIENT_AUTH_METHODS as readonly string[]).includes(method)) {
    return fail(fields.id, `token_endpoint_auth_method "${method}" is not supported (use ${CLIENT_AUTH_METHODS.join(", ")})`);
  }
  if (method === "none") return { method: "none" };
  if (fields.clientSecret === undefined || fields.clientSecret === "") {
    const env = `AUTH_${fields.id.toUpperCase().replace(/-/g, "_")}_SECRET`;
    return fail(fields.id, `a client secret is required (set clientSecret or ${env})`);
  }
  return { method: method as "client_secret_basic" | "client_secret_post", secret: fields.clientSecret };
}

function algorithms(fields: ProviderFields): readonly string[] {
  const list = fields.idTokenAlgorithms ?? DEFAULT_ID_TOKEN_ALGORITHMS;
  if (list.length === 0 || !list.every((alg) => ASYMMETRIC_ALGORITHMS.has(alg))) {
    return fail(fields.id, "idTokenAlgorithms must list asymmetric JWS algorithms only (no none, no HS*)");
  }
  return [...list];
}

function authorizationParams(fields: ProviderFields): { params: Record<string, string>; mode: "query" | "form_post" } {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields.authorizationParams)) {
    if (!RESERVED_PARAMS.has(name)) params[name] = value;
  }
  if (fields.protocol === "oidc") {
    const scopes = (params.scope ?? "openid profile email").split(" ").filter(Boolean);
    params.scope = scopes.includes("openid") ? scopes.join(" ") : ["openid", ...scopes].join(" ");
  }
  const mode = params.response_mode ?? "query";
  if (mode !== "query" && mode !== "form_post") {
    return fail(fields.id, `response_mode "${mode}" cannot reach a server (use query or form_post)`);
  }
  return { params, mode };
}

/** Checks the fields and freezes them into the internal provider shape. */
export function buildProvider(fields: ProviderFields): OAuthProvider {
  const { id } = fields;
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(id)) fail(id, "the id may hold letters, digits, - and _ only");
  if (!fields.clientId) {
    fail(id, `a client id is required (set clientId or AUTH_${id.toUpperCase().replace(/-/g, "_")}_ID)`);
  }
  const issuer = fields.issuer === undefined ? undefined : configuredEndpoint(fields.issuer, `"${id}" issuer`);
  if (fields.protocol === "oidc" && issuer === undefined) fail(id, "an OpenID Connect provider needs an issuer");
  const endpoints: { authorization?: string; token?: string; userinfo?: string } = {};
  for (const name of ["authorization", "token", "userinfo"] as const) {
    const value = fields.endpoints[name];
    if (value !== undefined) endpoints[name] = configuredEndpoint(value, `"${id}" ${name} endpoint`);
  }
  if (fields.protocol === "oauth2" && !(endpoints.authorization && endpoints.token && endpoints.userinfo)) {
    fail(id, "an OAuth 2.0 provider needs authorization, token and userinfo endpoints");
  }
  const { params, mode } = authorizationParams(fields);
  return Object.freeze({
    id,
    name: fields.name,
    protocol: fields.protocol,
    issuer,
    endpoints: Object.freeze(endpoints),
    authorizationParams: Object.freeze(params),
    responseMode: mode,
    clientId: fields.clientId as string,
    clientAuth: clientAuthentication(fields),
    idTokenAlgorithms: Object.freeze(algorithms(fields)),
    issuerTemplate: fields.issuerTemplate,
    allowedTenants: fields.allowedTenants === undefined ? undefined : Object.freeze([...fields.allowedTenants]),
    profileSource: fields.profileSource,
    fetchUserinfo: fields.fetchUserinfo,
    profile: fields.profile,
    requireVerifiedEmail: fields.requireVerifiedEmail,
  });
}

/** A query parameter value as Auth.js sends it: objects (e.g. `claims`) as JSON. */
export function paramValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
