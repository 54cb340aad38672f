import { makeFunctionReference } from "convex/server";
import type { Value } from "convex/values";
import type { WardenErrorData } from "../../shared/errors/index.js";
import { REDIRECT_CODE_PARAM, REDIRECT_PROVIDER_PARAM } from "../../shared/redirect.js";
import type { ActionStep, MutationStep, StepOutcome } from "../../server/provider.js";
import type { ChallengeOutcome, CodeOutcome, VerifyOptions } from "../../server/stores/index.js";
import type { UserId } from "../../server/types.js";
import { isSenderModule, senderPath, type Channel, type CodeMessageKind } from "./channel.js";
import { deliver, PREPARE_STEP, SEND_STEP, UNDELIVERED_STEP, type Prepared, type Undelivered } from "./deliver.js";
import { MINUTE, type ResolvedLink } from "./options.js";

/**
 * Sending a one-time code or link for a purpose, and checking what comes
 * back: the machinery `Email` and `Phone` sign in with, and that other
 * providers (email verification, password reset) reuse with purposes of
 * their own. A provider spreads `steps` into its own and calls `send` from a
 * mutation step; the send happens after that transaction commits.
 */

export interface MessengerOptions {
  /** The provider's id: it names the steps the send calls back into. */
  providerId: string;
  /** The app's name in messages. */
  appName: string;
  channel: Channel;
  /** Wrong codes one code survives (OTP-6). */
  maxAttempts: number;
  /** The least time between two sends for one (purpose, identifier); 0 for none. */
  resendCooldownMs: number;
}

export interface SendRequest {
  /** What the code is for, e.g. "email:signIn", "password:reset": it passes for nothing else (OTP-4). */
  purpose: string;
  /** Whom it is for, normalized: it passes for no one else (OTP-4). */
  identifier: string;
  /** Where it goes. Default the identifier (an email address, a phone number). */
  to?: string;
  /** Which template renders it. */
  message: CodeMessageKind;
  /** A code to type, drawn by the challenge store. */
  code?: { alphabet: string; length: number };
  /** A link, landing on the configured site (OTP-7). */
  link?: ResolvedLink;
  /**
   * The query parameter the link carries its token in. Default
   * `wardenCode` (with `wardenProvider`), which the browser client redeems
   * as soon as the page loads; another name leaves the token to the app's
   * page, for a flow that needs more than the token (a password reset needs
   * the new password with it).
   */
  linkParam?: string;
  /**
   * Count, issue and answer exactly as for a send, but send nothing: for a
   * request that must answer the same whether the identifier has an account
   * (EN-1), so the cooldown and the limits behave the same too. Default false.
   */
  silent?: boolean;
  /** How long it works. */
  ttlMs: number;
  /** Non-secret state for the step that checks it (profile fields for a sign-up). */
  data?: Record<string, Value>;
  userId?: UserId;
  /** The recipient's locale tag, for the templates. */
  locale?: string;
}

/** What the scheduled send is given: no secret, only where the challenge is and how to render it. */
interface Delivery {
  challengeId: string;
  to: string;
  message: CodeMessageKind;
  minutes: number;
  locale?: string;
  code?: { alphabet: string; length: number };
  /** Where the link lands; the token and provider are added when it is drawn. */
  link?: string;
  /** The parameter carrying the token, when not the client's hand-off. */
  linkParam?: string;
  [field: string]: Value | undefined;
}

/** What a code step checks: the code typed for (purpose, identifier), under `failureKey`'s failure limit. */
export interface CodeCheck {
  purpose: string;
  identifier: string;
  code: string;
  failureKey: string;
  /** Also find the account the code signs in with this provider (or count the sign-up it would be). */
  account?: VerifyOptions["account"];
}

/** A code checked: the challenge (and the account, when asked for), or the failure to return. */
export type Checked = Extract<CodeOutcome, { kind: "ok" }> | { kind: "failed"; error: WardenErrorData };

type Step = MutationStep<"challenges" | "limits">;

const failed = (error: WardenErrorData) => ({ kind: "failed" as const, error });
const defined = <T extends Record<string, unknown>>(record: T) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;

/** A challenge store failure as the client sees it. */
function challengeFailure(result: Exclude<ChallengeOutcome, { kind: "ok" }>): WardenErrorData {
  if (result.code === "CODE_EXPIRED") return { code: "CODE_EXPIRED" };
  return result.attemptsLeft === undefined ? { code: "INVALID_CODE" } : { code: "INVALID_CODE", attemptsLeft: result.attemptsLeft };
}

/**
 * The link a message carries: the configured landing page with the token, as
 * the client's hand-off expects, or under `param` alone for the app's page.
 */
export function linkUrl(landing: string, token: string, providerId: string, param?: string): string {
  const url = new URL(landing);
  if (param !== undefined) {
    url.searchParams.set(param, token);
    return url.href;
  }
  url.searchParams.set(REDIRECT_CODE_PARAM, token);
  url.searchParams.set(REDIRECT_PROVIDER_PARAM, providerId);
  return url.href;
}

export function codeMessenger(options: MessengerOptions) {
  const { providerId, appName, channel, maxAttempts, resendCooldownMs } = options;
  const { delivery } = channel;

  async function schedule(step: Step, args: Delivery) {
    const scheduled = defined(args) as Record<string, Value>;
    if (isSenderModule(delivery)) {
      const action = makeFunctionReference<"action">(senderPath(delivery));
      await step.ctx.scheduler.runAfter(0, action, { provider: providerId, args: scheduled });
    } else {
      await step.schedule(SEND_STEP, scheduled);
    }
  }

  /**
   * Counts the send (per destination and client IP, RL-3), issues the
   * challenge and schedules its message, in the caller's transaction. Over a
   * limit nothing is issued or sent: RATE_LIMITED with `retryAfterMs`. The
   * answer is the same whoever the identifier belongs to (EN-1).
   */
  async function send(step: Step, request: SendRequest): Promise<StepOutcome> {
    const to = request.to ?? request.identifier;
    const issued = await step.stores.challenges.issueToSend(
      defined({
        purpose: request.purpose,
        identifier: request.identifier,
        ttlMs: request.ttlMs,
        maxAttempts,
        code: request.code,
        token: request.link === undefined ? undefined : true,
        binding: request.link?.bound || undefined,
        userId: request.userId,
        data: request.data,
      }),
      { limit: "codeSends", key: to, resendCooldownMs },
    );
    if ("kind" in issued) return failed({ code: "RATE_LIMITED", retryAfterMs: issued.retryAfterMs });
    // The secrets just drawn are dropped: the send draws its own (see PREPARE_STEP).
    if (request.silent !== true) {
      await schedule(step, {
        challengeId: issued.challengeId,
        to,
        message: request.message,
        minutes: Math.ceil(request.ttlMs / MINUTE),
        locale: request.locale,
        code: request.code,
        link: request.link?.url,
        linkParam: request.linkParam,
      });
    }
    step.log.debug(request.silent === true ? "code issued, nothing sent" : "code sent", { provider: providerId, purpose: request.purpose });
    return defined({
      kind: "codeSent" as const,
      destination: channel.mask(to),
      resendAfterMs: resendCooldownMs > 0 ? resendCooldownMs : undefined,
      verifier: issued.binding,
    });
  }

  /** The prepare step: fresh secrets for the challenge, rendered into the message. Null when it is gone. */
  async function prepare(step: Step, args: Record<string, Value>): Promise<Value> {
    const delivery = args as Delivery;
    const secrets = await step.stores.challenges.rekey(
      delivery.challengeId,
      defined({ code: delivery.code, token: delivery.link === undefined ? undefined : true }),
    );
    if (secrets === null) return null;
    const url = delivery.link === undefined ? undefined : linkUrl(delivery.link, secrets.token!, providerId, delivery.linkParam);
    const rendered = await channel.render(delivery.message, defined({
      appName,
      locale: delivery.locale,
      minutes: delivery.minutes,
      code: secrets.code,
      url,
    }));
    const message = { to: delivery.to, ...rendered, idempotencyKey: `warden/${delivery.challengeId}` };
    return { kind: channel.kind, destination: channel.mask(delivery.to), message } satisfies Prepared;
  }

  /** The undelivered step: records why the message was not sent, for the next call to report. */
  async function undelivered(step: Step, args: Record<string, Value>): Promise<Value> {
    const { challengeId, reason, retryAfterMs } = args as unknown as { challengeId: string } & Undelivered;
    await step.stores.challenges.markUndelivered(challengeId, defined({ reason, retryAfterMs }));
    return null;
  }

  /**
   * Checks a typed code (OTP-3, OTP-4, OTP-6) under the identifier's
   * failure limit (RL-1), which a new code does not reset (RL-2), in one
   * call of the store: a success clears the failures, a wrong code counts
   * one, and when the last message could not be sent the answer says so
   * (DELIVERY_FAILED) so the client offers to send another. With `account`,
   * the store also finds the account the code signs in (or counts the
   * sign-up), as `signInVerified` takes it.
   */
  async function verify(step: Step, { purpose, identifier, code, failureKey, account }: CodeCheck): Promise<Checked> {
    const result = await step.stores.challenges.verifyCode(purpose, identifier, code, {
      failures: { name: "failedSignIns", key: failureKey },
      ...(account === undefined ? {} : { account }),
    });
    if (result.kind === "ok") return result;
    if (result.code === "RATE_LIMITED") return failed({ code: "RATE_LIMITED", retryAfterMs: result.retryAfterMs });
    if (result.code === "INVALID_CODE" && result.undelivered !== undefined) {
      const { reason, retryAfterMs } = result.undelivered;
      return failed(defined({ code: "DELIVERY_FAILED" as const, reason: reason as Undelivered["reason"], retryAfterMs }));
    }
    return failed(challengeFailure(result));
  }

  /**
   * Redeems a link's token. A link bound to the browser that asked needs that
   * browser's verifier: without one the answer is LINK_OTHER_BROWSER and the
   * link stays usable there; with a wrong one the link is spent (someone saw
   * it who should not have).
   */
  async function redeem(
    step: Step,
    { purpose, token, verifier, bound }: { purpose: string; token: string; verifier?: string; bound: boolean },
  ): Promise<Checked> {
    const { challenges } = step.stores;
    if (bound && verifier === undefined) {
      const peeked = await challenges.peek(purpose, token);
      return peeked.kind === "ok" ? failed({ code: "LINK_OTHER_BROWSER" }) : failed(challengeFailure(peeked));
    }
    const result = await challenges.redeem(purpose, token, bound ? { binding: verifier! } : {});
    return result.kind === "ok" ? result : failed(challengeFailure(result));
  }

  const actions: Record<string, (step: ActionStep, args: Record<string, Value>) => Promise<void>> = {};
  // Sent here unless an app's Node module sends them (then it calls back into the same mutation steps).
  if (!isSenderModule(delivery)) {
    actions[SEND_STEP] = (step, args) => deliver(delivery, { run: step.runMutation, log: step.log }, args);
  }
  /** The steps a provider using this messenger spreads into its own. */
  const steps = { mutations: { [PREPARE_STEP]: prepare, [UNDELIVERED_STEP]: undelivered }, actions };

  return { send, verify, redeem, steps };
}

export type CodeMessenger = ReturnType<typeof codeMessenger>;
