import * as o from "oauth4webapi";
import { oauthError, OAuthError, type OAuthStep } from "./errors.js";
import { providerFetch, type ProviderHttpOptions } from "./http.js";
import { insecureFor } from "./urls.js";

const invalid = (step: OAuthStep, error?: string) =>
  oauthError({ code: "OAUTH_INVALID_RESPONSE", step, ...(error ? { error } : {}) });

const rethrow = (step: OAuthStep) => (error: unknown): never => {
  if (error instanceof OAuthError || error instanceof TypeError) throw error;
  if (error instanceof o.WWWAuthenticateChallengeError) throw invalid(step, "unauthorized");
  throw invalid(step);
};

const options = (step: OAuthStep, url: string | undefined, http: ProviderHttpOptions) => ({
  [o.customFetch]: providerFetch(step, http),
  [o.allowInsecureRequests]: insecureFor(url),
});

async function jsonObject(response: Response, step: OAuthStep): Promise<unknown> {
  if (response.status !== 200) throw invalid(step, "status");
  return response.json().catch(() => {
    throw invalid(step, "json");
  });
}

/** OIDC userinfo: its `sub` must be the ID token's. */
export async function oidcUserinfo(
  as: o.AuthorizationServer,
  client: o.Client,
  accessToken: string,
  subject: string,
  http: ProviderHttpOptions,
): Promise<Record<string, unknown>> {
  const response = await o
    .userInfoRequest(as, client, accessToken, options("userinfo", as.userinfo_endpoint, http))
    .catch(rethrow("userinfo"));
  try {
    return await o.processUserInfoResponse(as, client, subject, response);
  } catch (error) {
    if (error instanceof o.OperationProcessingError && error.code === o.JSON_ATTRIBUTE_COMPARISON) {
      throw invalid("userinfo", "subject");
    }
    return rethrow("userinfo")(error);
  }
}

/** A plain OAuth 2.0 userinfo endpoint answering a JSON object. */
export async function jsonUserinfo(
  as: o.AuthorizationServer,
  client: o.Client,
  accessToken: string,
  http: ProviderHttpOptions,
): Promise<Record<string, unknown>> {
  const response = await o
    .userInfoRequest(as, client, accessToken, options("userinfo", as.userinfo_endpoint, http))
    .catch(rethrow("userinfo"));
  const body = await jsonObject(response, "userinfo");
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalid("userinfo", "json");
  return body as Record<string, unknown>;
}

const GITHUB_HEADERS = {
  accept: "application/vnd.github+json",
  "x-github-api-version": "2022-11-28",
  "user-agent": "convex-warden",
};

type ResourceFetch = NonNullable<o.ProtectedResourceRequestOptions[typeof o.customFetch]>;

async function githubGet(url: string, step: OAuthStep, accessToken: string, http: ProviderHttpOptions) {
  const request: o.ProtectedResourceRequestOptions = {
    // GET requests carry no body, so the body types that differ do not arise.
    [o.customFetch]: providerFetch(step, http) as ResourceFetch,
    [o.allowInsecureRequests]: insecureFor(url),
  };
  const response = await o
    .protectedResourceRequest(accessToken, "GET", new URL(url), new Headers(GITHUB_HEADERS), null, request)
    .catch(rethrow(step));
  return jsonObject(response, step);
}

/**
 * GitHub: `/user` for the account, then `/user/emails` (the `user:email`
 * scope) for every address with its primary and verified flags; the raw
 * profile is the user with those addresses as `emails`.
 */
export async function githubProfile(
  userUrl: string,
  accessToken: string,
  http: ProviderHttpOptions,
): Promise<Record<string, unknown>> {
  const user = await githubGet(userUrl, "userinfo", accessToken, http);
  if (typeof user !== "object" || user === null || Array.isArray(user)) throw invalid("userinfo", "json");
  const emailsUrl = new URL("emails", userUrl.endsWith("/") ? userUrl : `${userUrl}/`).href;
  const emails = await githubGet(emailsUrl, "emails", accessToken, http);
  if (!Array.isArray(emails)) throw invalid("emails", "json");
  return { ...(user as Record<string, unknown>), emails };
}
