import { expect, test } from "vitest";
import { CONSOLE_WARNING, consoleEmail, consoleSms } from "convex-warden/delivery/console";

test("prints the whole email, code included, under a development-only warning", async () => {
  const printed: string[] = [];
  const email = consoleEmail({ production: false, sink: (text) => printed.push(text) });
  const receipt = await email.send({
    to: "ada@example.com",
    subject: "Your sign-in code for Acme",
    text: "Enter this code: 48291375",
    html: "<p>48291375</p>",
  });

  expect(receipt).toEqual({});
  expect(email).toMatchObject({ kind: "email", id: "console" });
  expect(printed).toHaveLength(1);
  const [text] = printed;
  expect(text!.startsWith(CONSOLE_WARNING)).toBe(true);
  expect(CONSOLE_WARNING).toMatch(/DEVELOPMENT ONLY/);
  expect(text).toContain("To: ada@example.com");
  expect(text).toContain("Subject: Your sign-in code for Acme");
  expect(text).toContain("Enter this code: 48291375");
});

test("prints the SMS", async () => {
  const printed: string[] = [];
  await consoleSms({ production: false, sink: (text) => printed.push(text) }).send({ to: "+15551234567", text: "731904 is your code" });
  expect(printed[0]).toContain(CONSOLE_WARNING);
  expect(printed[0]).toContain("SMS to: +15551234567");
  expect(printed[0]).toContain("731904 is your code");
});

test("refuses to be created in production", () => {
  expect(() => consoleEmail({ production: true })).toThrow(TypeError);
  expect(() => consoleSms({ production: true })).toThrow(TypeError);
  expect(() => consoleEmail({ production: true, allowInProduction: false })).toThrow(TypeError);
});

test("production must be stated, as a boolean", () => {
  expect(() => consoleEmail({} as never)).toThrow(TypeError);
  expect(() => consoleSms({ production: "no" } as never)).toThrow(TypeError);
  expect(() => consoleEmail(undefined as never)).toThrow(TypeError);
});

test("allowInProduction lets a deployment the app calls production print anyway", async () => {
  const printed: string[] = [];
  const sms = consoleSms({ production: true, allowInProduction: true, sink: (text) => printed.push(text) });
  await sms.send({ to: "+15551234567", text: "hello" });
  expect(printed).toHaveLength(1);
});

test("a malformed message is a TypeError and prints nothing", async () => {
  const printed: string[] = [];
  const email = consoleEmail({ production: false, sink: (text) => printed.push(text) });
  await expect(email.send({ to: "nobody", subject: "s", text: "t" })).rejects.toBeInstanceOf(TypeError);
  expect(printed).toEqual([]);
});
