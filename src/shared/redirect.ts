/**
 * The query parameters a flow that leaves the app (OAuth) comes back with:
 * a one-time hand-off code the browser that started the flow redeems with its
 * verifier, or the code of the error that ended the flow. Namespaced, so an
 * app's own `code` or `error` parameters are never taken for these.
 */
export const REDIRECT_CODE_PARAM = "wardenCode";
export const REDIRECT_ERROR_PARAM = "wardenError";
/**
 * Which provider a hand-off code is for, when the link itself must say it: a
 * sign-in link opened in another browser than the one that asked for it has
 * no pending redirect to name the provider.
 */
export const REDIRECT_PROVIDER_PARAM = "wardenProvider";
