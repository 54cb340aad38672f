import { Scrypt } from "lucia";
import {
  argon2idEngine,
  argon2idEngines,
  OWASP_ARGON2ID,
  type Argon2idEngine,
} from "../../src/lib/password/argon2id";
import { summarize } from "./stats";

/**
 * One password hash, outside any flow, with each implementation: warden's
 * argon2id engines at OWASP parameters (the one this runtime picks, and the
 * fallback it would use where the SIMD build cannot compile) and v1's scrypt.
 * Says how the sign-in figures would move with the other engine.
 */
export interface HashCosts {
  /** The engine warden picked in this runtime. */
  wardenEngine: Argon2idEngine;
  /** Median ms per hash, by implementation. */
  medianMs: Record<string, number>;
}

async function median(runs: number, hash: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    await hash();
    if (i > 0) samples.push(performance.now() - start); // the first run warms up
  }
  return summarize(samples).medianMs;
}

export async function hashCosts(runs: number): Promise<HashCosts> {
  const password = new TextEncoder().encode("correct horse battery staple");
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const medianMs: Record<string, number> = {};
  for (const [name, argon2id] of Object.entries(argon2idEngines)) {
    medianMs[`argon2id ${name}`] = await median(runs, () => argon2id(password, salt, OWASP_ARGON2ID, 32));
  }
  medianMs["v1 scrypt"] = await median(runs, () => new Scrypt().hash("correct horse battery staple"));
  return { wardenEngine: await argon2idEngine(), medianMs };
}
