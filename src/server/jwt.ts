import type { GenericDataModel, GenericMutationCtx } from "convex/server";
import { wardenError } from "../shared/errors/index.js";
import type { ResolvedConfig } from "./config.js";
import { GUEST_CLAIM, TOKEN_AUDIENCE } from "./identity.js";
import type { CustomClaims, SessionId, UserId } from "./types.js";

/** Claims convex-warden or Convex set, which custom claims may not override (JWT-2). */
export const RESERVED_CLAIMS = ["iss", "sub", "aud", "sid", "iat", "exp", "nbf", "jti", GUEST_CLAIM];
const RESERVED_PREFIX = /^(convex|cvx)/i;

export function reservedClaimIn(claims: CustomClaims): string | undefined {
  return Object.keys(claims).find(
    (name) => RESERVED_CLAIMS.includes(name) || RESERVED_PREFIX.test(name),
  );
}

/** Mints the access token for a session: ES256, signed by the deployment's key. */
export async function mintAccessToken(
  ctx: GenericMutationCtx<GenericDataModel>,
  config: ResolvedConfig,
  subject: { userId: UserId; sessionId: SessionId; guest?: boolean },
): Promise<string> {
  const { userId, sessionId, guest } = subject;
  const custom = config.jwt.customClaims ? await config.jwt.customClaims(ctx, { userId, sessionId }) : {};
  const reserved = reservedClaimIn(custom);
  if (reserved !== undefined) {
    throw wardenError({
      code: "INVALID_CONFIG",
      reason: "reserved_claim",
      message: `jwt.customClaims may not set the reserved claim "${reserved}"`,
    });
  }
  return ctx.auth.signJwt({
    claims: { ...custom, sub: userId, sid: sessionId, aud: TOKEN_AUDIENCE, ...(guest ? { [GUEST_CLAIM]: true } : {}) },
    expiresInSeconds: Math.max(1, Math.floor(config.jwt.durationMs / 1000)),
  });
}
