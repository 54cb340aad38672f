/**
 * The English copy, the fallback for every locale. No secret goes in a
 * subject line: subjects are shown on lock screens and kept in provider logs.
 */
import type { Dictionary } from "./types.js";

/** "1 minute", "10 minutes", "1 hour", "2 hours". */
export function lifetime(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? "1 hour" : `${minutes / 60} hours`;
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

const linkFallback = "If the link does not work, copy this address into your browser:";

export const english: Dictionary = {
  direction: "ltr",
  signInCode: ({ appName, minutes }) => ({
    subject: `Your sign-in code for ${appName}`,
    heading: `Sign in to ${appName}`,
    intro: [`Enter this code to sign in to ${appName}:`],
    outro: [
      `The code expires in ${lifetime(minutes)} and works once. Do not share it with anyone.`,
      "If you did not try to sign in, you can ignore this email.",
    ],
  }),
  magicLink: ({ appName, code, minutes }) => ({
    subject: `Sign in to ${appName}`,
    heading: `Sign in to ${appName}`,
    intro: [
      code === undefined
        ? `Use the link below to sign in to ${appName}.`
        : `Enter this code to sign in to ${appName}, or use the link below:`,
    ],
    action: `Sign in to ${appName}`,
    linkFallback,
    outro: [
      code === undefined
        ? `The link expires in ${lifetime(minutes)} and works once. Do not share it with anyone.`
        : `The code and link expire in ${lifetime(minutes)} and work once. Do not share them with anyone.`,
      "If you did not try to sign in, you can ignore this email.",
    ],
  }),
  verifyEmail: ({ appName, code, url, minutes }) => ({
    subject: `Verify your email address for ${appName}`,
    heading: "Verify your email address",
    intro: [
      code === undefined
        ? `Use the link below to confirm this address for your ${appName} account.`
        : `Enter this code to confirm this address for your ${appName} account${url === undefined ? ":" : ", or use the link below:"}`,
    ],
    action: "Verify email address",
    linkFallback,
    outro: [
      `This expires in ${lifetime(minutes)}.`,
      `If you did not create an account with ${appName}, you can ignore this email.`,
    ],
  }),
  passwordReset: ({ appName, code, url, minutes }) => ({
    subject: `Reset your ${appName} password`,
    heading: "Reset your password",
    intro: [
      code === undefined
        ? `Use the link below to choose a new password for your ${appName} account.`
        : `Enter this code to choose a new password for your ${appName} account${url === undefined ? ":" : ", or use the link below:"}`,
    ],
    action: "Choose a new password",
    linkFallback,
    outro: [
      `This expires in ${lifetime(minutes)} and works once. Do not share it with anyone.`,
      "If you did not ask to reset your password, you can ignore this email: your password stays as it is.",
    ],
  }),
  emailChanged: ({ appName, maskedEmail, supportUrl }) => ({
    subject: `The email address of your ${appName} account was changed`,
    heading: "Your email address was changed",
    intro: [
      `The email address of your ${appName} account was changed to ${maskedEmail}. Messages about the account now go there.`,
      "If you made this change, there is nothing more to do.",
    ],
    action: "Get help",
    linkFallback: "Or open this link:",
    outro: [
      supportUrl === undefined
        ? "If you did not make this change, someone else may have access to your account: contact us right away."
        : "If you did not make this change, someone else may have access to your account: get help right away.",
    ],
  }),
  smsCode: ({ appName, code, minutes }) =>
    `${code} is your ${appName} code. It expires in ${lifetime(minutes)}. Do not share it.`,
};
