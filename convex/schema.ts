import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

/**
 * The component's own tables, isolated from the app's schema. User ids are
 * the app's `users` ids, stored as opaque strings.
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
    /** A hashed credential (PHC string). Never returned by a public function. */
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
   * Fixed-window counters, one row per limited key (an account, a destination),
   * so concurrent sign-ins for different keys never touch the same document.
   * Written on counted failures, deleted on success.
   */
  rateLimits: defineTable({
    key: v.string(),
    count: v.number(),
    windowStartsAt: v.number(),
  }).index("key", ["key"]),
});
