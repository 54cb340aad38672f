import { defineComponent } from "convex/server";

/** The convex-warden component: mount it with `app.use(warden)`. */
const component = defineComponent("warden");

export default component;
