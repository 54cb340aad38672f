import { createTemplates } from "../../delivery/templates/index.js";
import type { Templates } from "../../delivery/templates/types.js";
import { emailChannel, type Channel } from "../../lib/codes/channel.js";
import { codeMessenger, type CodeMessenger } from "../../lib/codes/messenger.js";
import type { PasswordConfig } from "./config.js";
import { stepsWithNotices } from "./notice.js";
import type { PasswordEmailOptions } from "./options.js";

/**
 * Everything the provider needs to send messages, and the flows that send
 * them: loaded with a dynamic `import()` the first time one runs, so an app
 * that sets no `email` option (or a function that never sends) does not
 * carry the messenger, the templates or these flows in what it loads.
 */
export { pendingVerification, sendVerification, verifyByCode, verifyByLink } from "./verification.js";
export { requestReset, resetByCode, resetByLink } from "./reset.js";
export { confirmEmailChange, requestEmailChange } from "./changeEmail.js";

export interface Mail {
  messenger: CodeMessenger;
  templates: Templates;
  appName: string;
  channel: Channel;
  /** The messenger's steps, taught about notices. */
  steps: CodeMessenger["steps"];
}

export function createMail(config: PasswordConfig, options: PasswordEmailOptions, pacing: { maxAttempts: number; resendCooldownMs: number }): Mail {
  const templates = options.templates ?? createTemplates();
  const channel = emailChannel("Password.email", { sender: options.sender, templates });
  const messenger = codeMessenger({ providerId: config.id, appName: options.appName, channel, ...pacing });
  const mail = { messenger, templates, appName: options.appName, channel };
  return { ...mail, steps: stepsWithNotices(messenger, config, mail) };
}
