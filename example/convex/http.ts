import { httpRouter } from "convex/server";
import { auth } from "./auth";

/** The app's HTTP routes: convex-warden's OAuth routes (start and callback per provider). */
const http = httpRouter();

auth.addHttpRoutes(http);

export default http;
