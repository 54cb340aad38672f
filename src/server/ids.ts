import { v, type Validator } from "convex/values";
import type { SessionId } from "./types.js";

/** Validates a session id in the app's functions' `args`: `args: { sessionId: vSessionId }`. */
export const vSessionId = v.string() as Validator<SessionId>;
