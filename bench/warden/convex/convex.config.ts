import { defineApp } from "convex/server";
import warden from "convex-warden/convex.config";

const app = defineApp();
app.use(warden);

export default app;
