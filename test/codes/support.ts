import { vi } from "vitest";
import type { EmailMessage, EmailSender, SmsMessage, SmsSender } from "convex-warden/delivery";
import { wardenTables, type ExampleApp } from "../setup";

/**
 * An adapter that keeps what it is given instead of sending it, for the
 * flow tests (the HTTP and SMTP adapters are tested against real servers on
 * loopback, and end to end in `delivery.test.ts`). `fail` makes the next
 * sends throw, as an adapter does when its provider refuses.
 */
export function outbox() {
  const emails: EmailMessage[] = [];
  const texts: SmsMessage[] = [];
  const box = {
    emails,
    texts,
    fail: null as Error | null,
    email: {
      kind: "email",
      id: "outbox",
      async send(message) {
        if (box.fail) throw box.fail;
        emails.push(message);
        return { id: `email-${emails.length}` };
      },
    } satisfies EmailSender,
    sms: {
      kind: "sms",
      id: "outbox",
      async send(message) {
        if (box.fail) throw box.fail;
        texts.push(message);
        return { id: `sms-${texts.length}` };
      },
    } satisfies SmsSender,
    /** The messages sent to `to`, oldest first. */
    to: (to: string) => [...emails, ...texts].filter((message) => message.to === to),
    /** The code in the last message to `to`: on a line of its own in an email, first in a text. */
    codeFor(to: string): string {
      const last = box.to(to).at(-1);
      const code = last?.text.match(/^ {4}(\S+)$/m)?.[1] ?? last?.text.match(/^(\S+) is your /)?.[1];
      if (code === undefined) throw new Error(`no code was sent to ${to}`);
      return code;
    },
    /** The link in the last message to `to`. */
    linkFor(to: string): URL {
      const last = box.to(to).at(-1);
      const url = last?.text.match(/https?:\/\/\S+/)?.[0];
      if (url === undefined) throw new Error(`no link was sent to ${to}`);
      return new URL(url);
    },
  };
  return box;
}
export type Outbox = ReturnType<typeof outbox>;

/**
 * Runs the sends the last mutations scheduled (due now), and waits for them:
 * under fake timers too, without moving the clock to later timers (the
 * hourly housekeeping sweep).
 */
export async function sendScheduled(t: ExampleApp) {
  // A job is due at its transaction's time, which convex-test may put a millisecond ahead of the clock.
  if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(2);
  else await new Promise((resolve) => setTimeout(resolve, 0));
  await t.finishInProgressScheduledFunctions();
}

/** Every row the app and the component store, the scheduler's jobs (and their arguments) included. */
export async function everything(t: ExampleApp) {
  const warden = await wardenTables(t);
  const app = await t.run(async (ctx) => ({
    users: await ctx.db.query("users").collect(),
    scheduled: await ctx.db.system.query("_scheduled_functions").collect(),
  }));
  return { ...warden, ...app };
}

/** How many rows each table holds. */
export async function rowCounts(t: ExampleApp): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries(await everything(t)).map(([table, rows]) => [table, rows.length]));
}
