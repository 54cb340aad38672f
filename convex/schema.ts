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
   * token lives here as the hash of its current value, the hash of the value it
   * replaced (for the concurrent-tab grace window and reuse detection) and the
   * key that derives each next value. Written at sign-in, on each refresh and
   * deleted at sign-out; read on each refresh and on live-session checks.
   */
  sessions: defineTable({
    userId: v.string(),
    /** Absolute end of the session, whatever its activity. */
    expiresAt: v.number(),
    /** Last sign-in or refresh; the idle timeout counts from here. */
    lastUsedAt: v.number(),
    refresh: v.object({
      /** SHA-256 of the refresh secret the client holds now (hex). */
      currentHash: v.string(),
      /** SHA-256 of the secret the current one replaced (hex). */
      previousHash: v.optional(v.string()),
      /** When `previousHash` was replaced. */
      rotatedAt: v.number(),
      /** HMAC key deriving each next secret from the one presented (base64url). */
      chainKey: v.string(),
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
