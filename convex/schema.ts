import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

/**
 * The component's own tables, isolated from the app's schema. User ids are
 * the app's `users` ids, stored as opaque strings. Rate-limit counters live in
 * the `rateLimiter` component mounted inside this one.
 */
export default defineSchema({
  /**
   * One row per way a user signs in: (provider, providerAccountId), e.g.
   * ("password", "ada@example.com"). Written at sign-up and when a password
   * hash is upgraded; read on every sign-in.
   */
  accounts: defineTable({
    userId: v.string(),
    provider: v.string(),
    /** The identifier within the provider: a normalized email, a subject. */
    providerAccountId: v.string(),
    /**
     * A hashed credential (PHC string), or for an OAuth account that keeps its
     * provider tokens, those tokens sealed (`$warden-tokens$v=1$...`, AES-GCM
     * under the app's key). Never returned by a public function.
     */
    secret: v.optional(v.string()),
  })
    .index("providerAndAccountId", ["provider", "providerAccountId"])
    .index("userId", ["userId"]),

  /**
   * One row per signed-in device, however often it refreshes: the refresh
   * token lives here as the hash of its current secret, its generation, the
   * key that derives each next secret from the one before (so any earlier
   * genuine secret can be recognised), and when the latest generations were
   * replaced (for the concurrent-tab grace window). Written at sign-in, on
   * each refresh and deleted at sign-out; read on each refresh and on
   * live-session checks.
   */
  sessions: defineTable({
    userId: v.string(),
    /** Absolute end of the session, whatever its activity. */
    expiresAt: v.number(),
    /** Last sign-in or refresh; the idle timeout counts from here. */
    lastUsedAt: v.number(),
    refresh: v.object({
      /** The generation of the secret the client holds now: 0 at sign-in, +1 per refresh. */
      generation: v.number(),
      /** SHA-256 of that secret (hex). */
      currentHash: v.string(),
      /** HMAC key deriving each next secret from the one presented (base64url). */
      chainKey: v.string(),
      /**
       * When the most recent generations were replaced, newest first:
       * `spentAt[0]` is when generation - 1 was, `spentAt[1]` generation - 2.
       * Only replacements still inside the grace window are kept (at most 8).
       */
      spentAt: v.array(v.number()),
    }),
    /**
     * When the session ends unless it is refreshed first: the earlier of
     * `expiresAt` and the idle timeout after `lastUsedAt`. Housekeeping
     * deletes sessions past it.
     */
    endsAt: v.optional(v.number()),
    /** A guest's session (an anonymous user): its tokens carry the guest claim. */
    guest: v.optional(v.boolean()),
    /** What the user sees in their session list: a coarse device label ("Firefox on Windows")… */
    device: v.optional(v.string()),
    /** …and the client's network ("203.0.113.0/24"), never the full address. */
    network: v.optional(v.string()),
  })
    .index("userId", ["userId"])
    .index("endsAt", ["endsAt"]),

  /**
   * The one place short-lived secrets live between two steps of a sign-in:
   * one-time codes, link tokens, OAuth state, pending second factors. Each is
   * bound to its purpose and identifier, stored only as a hash, expires, has an
   * attempt budget, and is consumed in the mutation that checks it. Written
   * when a step issues one, patched on a wrong attempt, deleted when consumed,
   * dead or expired (by housekeeping); read by the step that checks it.
   */
  challenges: defineTable({
    /** What it is for, e.g. "email:signIn", "oauth:state", "secondFactor". */
    purpose: v.string(),
    /** Whom it is for: a normalized email or phone, a user id, a provider id. */
    identifier: v.string(),
    /** SHA-256 (hex) of a high-entropy token (a link, a state), found by index. */
    tokenHash: v.optional(v.string()),
    /**
     * A short code the user types, as `<salt>$<SHA-256 of salt, purpose,
     * identifier and code>` (hex), checked by (purpose, identifier).
     */
    codeHash: v.optional(v.string()),
    /** SHA-256 (hex) of a second secret the redeemer must also hold, e.g. the browser's verifier. */
    bindingHash: v.optional(v.string()),
    expiresAt: v.number(),
    /** Wrong attempts left; at zero the challenge is dead even for the right code. */
    attemptsLeft: v.number(),
    /** The user it concerns, when known. */
    userId: v.optional(v.string()),
    /** Non-secret state the next step needs, e.g. a redirect target. */
    data: v.optional(v.any()),
    /** For a challenge sent in a message: no other may be sent for (purpose, identifier) before this. */
    resendAt: v.optional(v.number()),
    /** Its message could not be sent: why, and when the adapter said to try again. */
    undelivered: v.optional(v.object({ reason: v.string(), retryAfterMs: v.optional(v.number()), at: v.number() })),
  })
    .index("purposeAndIdentifier", ["purpose", "identifier"])
    .index("tokenHash", ["tokenHash"])
    .index("expiresAt", ["expiresAt"])
    .index("userId", ["userId"]),

  /**
   * The auth events of each user (LOG-1): sign-ins and their failures,
   * lockouts, sign-outs, revoked sessions, changed credentials, linked and
   * unlinked accounts, disabled users. Never a secret (LOG-2). Only events
   * about a known user are kept, so a spray of unknown identifiers stores
   * nothing here. Written by the flows; read by the app's own functions;
   * deleted by housekeeping after `expiresAt`, and with the user.
   */
  events: defineTable({
    userId: v.string(),
    type: v.string(),
    /** The provider involved, if any. */
    provider: v.optional(v.string()),
    /** The session involved, if any. */
    sessionId: v.optional(v.string()),
    /** Why: a failure's code, or which sessions were revoked ("one", "others", "all", "reuse", "disabled"). */
    reason: v.optional(v.string()),
    device: v.optional(v.string()),
    network: v.optional(v.string()),
    expiresAt: v.number(),
  })
    .index("userId", ["userId"])
    .index("expiresAt", ["expiresAt"]),

  /**
   * Users the app disabled: they cannot sign in or refresh. Also marks a
   * user whose deletion is still running (`deleting`), so their remaining
   * accounts cannot sign in meanwhile. Written by disable, enable and
   * delete; read on every sign-in and refresh.
   */
  disabledUsers: defineTable({
    userId: v.string(),
    disabledAt: v.number(),
    /** The app's own note, e.g. "abuse". Never shown to the user by convex-warden. */
    reason: v.optional(v.string()),
    deleting: v.optional(v.boolean()),
  }).index("userId", ["userId"]),

  /**
   * At most one row: when housekeeping is next due and how far back the
   * limiter's counters matter. Written when a sweep is scheduled (at most once
   * an interval) and when it runs; read by the writes that leave rows to clean
   * (never by a sign-in, refresh or sign-out, which must share no document).
   * Deleted by the last sweep, when nothing is left to clean.
   */
  housekeeping: defineTable({
    sweepScheduledFor: v.optional(v.number()),
    /** Rate-limit rows created longer ago than this are stale (the longest window seen, at least a day). */
    limitHorizonMs: v.number(),
    /**
     * The latest rate-limit count, to within a sweep interval (written at
     * most once an interval): counters may exist until an interval and the
     * horizon after it, so sweeps go on until then.
     */
    limitsUsedAt: v.optional(v.number()),
  }),
});
