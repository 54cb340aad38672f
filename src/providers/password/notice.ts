import { makeFunctionReference } from "convex/server";
import type { Value } from "convex/values";
import { isSenderModule, senderPath, type Channel } from "../../lib/codes/channel.js";
import { PREPARE_STEP, SEND_STEP, UNDELIVERED_STEP, type Prepared } from "../../lib/codes/deliver.js";
import type { CodeMessenger } from "../../lib/codes/messenger.js";
import { maskEmail } from "../../lib/mask.js";
import type { Templates } from "../../delivery/templates/types.js";
import type { MutationStep } from "../../server/provider.js";
import type { PasswordConfig } from "./config.js";

/**
 * Notices: messages without a secret (the old address told of an email
 * change). They go out the way the provider's codes do, through the same
 * send steps (an adapter's action, or the app's Node module), so one sender
 * serves both: the prepare step renders a notice from its arguments, since
 * there is no code to draw, and a failed notice has no challenge to mark.
 */
const NOTICE = "notice";

export interface EmailChangedNotice {
  /** The old address. */
  to: string;
  newEmail: string;
  locale?: string;
  /** Unique per notice: the adapter's idempotency key. */
  noticeId: string;
}

/** Schedules the email-changed notice, after the transaction commits. */
export async function sendEmailChangedNotice(step: MutationStep, channel: Channel, config: PasswordConfig, notice: EmailChangedNotice) {
  const args: Record<string, Value> = { [NOTICE]: "emailChanged", ...notice };
  if (isSenderModule(channel.delivery)) {
    const action = makeFunctionReference<"action">(senderPath(channel.delivery));
    await step.ctx.scheduler.runAfter(0, action, { provider: config.id, args });
  } else {
    await step.schedule(SEND_STEP, args);
  }
}

type MutationSteps = Record<string, (step: MutationStep<"challenges" | "limits">, args: Record<string, Value>) => Promise<Value>>;

/** The messenger's steps, with its prepare and undelivered steps taught about notices. */
export function stepsWithNotices(
  messenger: CodeMessenger,
  config: PasswordConfig,
  { templates, appName }: { templates: Templates; appName: string },
): CodeMessenger["steps"] {
  const { mutations, actions } = messenger.steps as { mutations: MutationSteps; actions: CodeMessenger["steps"]["actions"] };
  const prepareCode = mutations[PREPARE_STEP]!;
  const markUndelivered = mutations[UNDELIVERED_STEP]!;
  const supportUrl = config.changeEmail?.supportUrl;
  return {
    actions,
    mutations: {
      [PREPARE_STEP]: async (step, args) => {
        if (args[NOTICE] !== "emailChanged") return prepareCode(step, args);
        const { to, newEmail, locale, noticeId } = args as unknown as EmailChangedNotice;
        const rendered = await templates.emailChanged({
          appName,
          newEmail,
          ...(locale === undefined ? {} : { locale }),
          ...(supportUrl === undefined ? {} : { supportUrl }),
        });
        const message = { to, ...rendered, idempotencyKey: `warden/notice/${noticeId}` };
        return { kind: "email", destination: maskEmail(to), message } satisfies Prepared;
      },
      // A notice has no challenge to record its failure on: the send's log says it.
      [UNDELIVERED_STEP]: async (step, args) => (args.challengeId === undefined ? null : markUndelivered(step, args)),
    },
  };
}
