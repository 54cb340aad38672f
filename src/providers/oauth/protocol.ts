/**
 * The protocol steps that talk to providers, loaded by the routes when a flow
 * runs (`import("./protocol.js")`): oauth4webapi and jose stay out of the code
 * every other function of the app loads (a sign-in, a refresh).
 */
export { authorizationUrl } from "../../lib/oauth/start.js";
export { handleCallback } from "../../lib/oauth/callback.js";
