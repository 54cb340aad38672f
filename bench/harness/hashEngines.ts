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

/** Median ms of each hash, calling them in turn (ABBA) after one warm-up call each. */
async function medians(runs: number, hashes: Record<string, () => Promise<unknown>>) {
  const names = Object.keys(hashes);
  const samples = new Map(names.map((name) => [name, [] as number[]]));
  for (let i = 0; i <= runs; i++) {
    for (const name of i % 2 === 0 ? names : [...names].reverse()) {
      const start = performance.now();
      await hashes[name]!();
      if (i > 0) samples.get(name)!.push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarize(samples.get(name)!).medianMs]));
}

export async function hashCosts(runs: number): Promise<HashCosts> {
  const password = new TextEncoder().encode("correct horse battery staple");
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hashes: Record<string, () => Promise<unknown>> = {};
  for (const [name, argon2id] of Object.entries(argon2idEngines)) {
    hashes[`argon2id ${name}`] = () => argon2id(password, salt, OWASP_ARGON2ID, 32);
  }
  hashes["v1 scrypt"] = () => new Scrypt().hash("correct horse battery staple");
  return { wardenEngine: await argon2idEngine(), medianMs: await medians(runs, hashes) };
}
