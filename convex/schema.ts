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
  }).index("userId", ["userId"]),

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
  })
    .index("purposeAndIdentifier", ["purpose", "identifier"])
    .index("tokenHash", ["tokenHash"])
    .index("expiresAt", ["expiresAt"]),

  /**
   * At most one row: when housekeeping is next due and how far back the
   * limiter's counters matter. Written when a sweep is scheduled (at most once
   * an interval) and when it runs; read by the writes that leave rows to clean.
   */
  housekeeping: defineTable({
    sweepScheduledFor: v.optional(v.number()),
    /** Rate-limit rows created longer ago than this are stale (the longest window seen, at least a day). */
    limitHorizonMs: v.number(),
  }),
});
