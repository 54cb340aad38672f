/**
 * One layout for every email: plain text, and simple HTML with inline styles
 * only (no images, fonts or stylesheets to fetch), a real heading, a `lang`
 * and `dir`, a link whose text says what it does and the raw URL beside it.
 * Every piece of copy and every variable is escaped on the way into HTML.
 */
import type { EmailCopy, RenderedEmail } from "./types.js";

export interface LayoutInput {
  copy: EmailCopy;
  /** The resolved locale tag, for `lang`. */
  locale: string;
  direction: "ltr" | "rtl";
  code?: string;
  url?: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

export function renderEmail(input: LayoutInput): RenderedEmail {
  return { subject: input.copy.subject, text: renderText(input), html: renderHtml(input) };
}

function renderText({ copy, code, url }: LayoutInput): string {
  const blocks = [copy.heading, ...copy.intro];
  if (code !== undefined) blocks.push(`    ${code}`);
  if (url !== undefined) blocks.push(`${copy.action ?? copy.heading}:\n${url}`);
  blocks.push(...copy.outro);
  return `${blocks.join("\n\n")}\n`;
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const MONO = "ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
const P = "margin:0 0 16px;font-size:16px;line-height:1.5";
const SMALL = "margin:0 0 12px;font-size:14px;line-height:1.5;color:#4a4a4a";

function renderHtml({ copy, locale, direction, code, url }: LayoutInput): string {
  const e = escapeHtml;
  const parts = [
    `<h1 style="margin:0 0 24px;font-size:22px;line-height:1.3">${e(copy.heading)}</h1>`,
    ...copy.intro.map((line) => `<p style="${P}">${e(line)}</p>`),
  ];
  if (code !== undefined) {
    parts.push(
      `<p style="margin:0 0 24px;font-family:${MONO};font-size:32px;font-weight:700;letter-spacing:6px">${e(code)}</p>`,
    );
  }
  if (url !== undefined) {
    parts.push(
      `<p style="margin:0 0 24px"><a href="${e(url)}" style="display:inline-block;padding:12px 20px;border-radius:6px;background:#1f2937;color:#ffffff;font-size:16px;font-weight:600;text-decoration:none">${e(copy.action ?? copy.heading)}</a></p>`,
      `<p style="${SMALL}">${e(copy.linkFallback ?? "")}<br><a href="${e(url)}" style="color:#1f2937;word-break:break-all">${e(url)}</a></p>`,
    );
  }
  parts.push(...copy.outro.map((line) => `<p style="${SMALL}">${e(line)}</p>`));
  return [
    "<!DOCTYPE html>",
    `<html lang="${e(locale)}" dir="${direction}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light"><title>${e(copy.subject)}</title></head>`,
    `<body style="margin:0;padding:24px 12px;background:#f3f4f6;color:#111827;font-family:${FONT}">`,
    `<div role="article" aria-label="${e(copy.subject)}" lang="${e(locale)}" dir="${direction}" style="max-width:480px;margin:0 auto;padding:32px;border-radius:8px;background:#ffffff">`,
    ...parts,
    "</div>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
