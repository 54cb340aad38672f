import { v } from "convex/values";
import { serviceAuth } from "convex-warden/server";
import { query } from "./_generated/server";

/**
 * Functions a worker calls without a user (a cron box, a queue consumer),
 * proving itself with the shared secret in EXAMPLE_WORKER_SECRET (and, while
 * rotating, EXAMPLE_WORKER_SECRET_PREVIOUS). Unset, every call is refused.
 */
const service = serviceAuth({ variable: "EXAMPLE_WORKER_SECRET" });

/** How many users there are, and how many of them are guests (at most 1000 counted). */
export const userCounts = service.serviceQuery(query)({
  args: {},
  returns: v.object({ users: v.number(), guests: v.number() }),
  handler: async (ctx) => {
    const users = await ctx.db.query("users").take(1000);
    return { users: users.length, guests: users.filter((user) => user.isAnonymous === true).length };
  },
});
