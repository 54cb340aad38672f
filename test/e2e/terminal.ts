/**
 * What the example stack prints in the terminal, kept while the browser tests
 * run. The example's console adapter "sends" sign-in emails by printing them
 * there; the tests read codes and links from that output, as a developer
 * running `npm run example` does, not from the database.
 */
import { CONSOLE_WARNING } from "../../src/delivery/console";

export interface Terminal {
  /** Everything written to the stream since the tap, in order. */
  text(): string;
  /** Stops keeping the output (it is still written). */
  restore(): void;
}

/** Keeps a copy of what is written to `stream`, which goes on to the terminal as before. */
export function tapTerminal(stream: NodeJS.WriteStream = process.stdout): Terminal {
  const chunks: string[] = [];
  const write = stream.write;
  stream.write = function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]) {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as NodeJS.WriteStream["write"];
  return {
    text: () => chunks.join(""),
    restore: () => void (stream.write = write),
  };
}

/** A sign-in email as the console adapter printed it. */
export interface PrintedEmail {
  to: string;
  subject: string;
  /** The one-time code, on its own indented line. */
  code: string | null;
  /** The sign-in link (`?wardenCode=…&wardenProvider=…`), when the message has one. */
  link: string | null;
}

const RULE = "-".repeat(72);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const MESSAGE = new RegExp(`${escape(CONSOLE_WARNING)}\\n${RULE}\\n([\\s\\S]*?)\\n${RULE}`, "g");

/** Every email printed in `text`, oldest first. */
export function printedEmails(text: string): PrintedEmail[] {
  return [...text.matchAll(MESSAGE)].flatMap(([, body]) => {
    const to = /^To: (.+)$/m.exec(body!)?.[1];
    if (to === undefined) return [];
    return [
      {
        to,
        subject: /^Subject: (.+)$/m.exec(body!)?.[1] ?? "",
        code: /^ {4}(\S+)$/m.exec(body!)?.[1] ?? null,
        link: /^(https?:\/\/\S*[?&]wardenCode=\S+)$/m.exec(body!)?.[1] ?? null,
      },
    ];
  });
}
