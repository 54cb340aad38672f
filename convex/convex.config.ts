import { defineComponent } from "convex/server";
import rateLimiter from "@convex-dev/rate-limiter/convex.config.js";

/**
 * The convex-warden component: mount it with `app.use(warden)`. It owns its
 * rate limits through `@convex-dev/rate-limiter`, mounted inside it, so the
 * app mounts one component and never sees the limiter's tables.
 */
const component = defineComponent("warden");
component.use(rateLimiter);

export default component;
