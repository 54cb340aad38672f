// @vitest-environment happy-dom
import { describe, expect, test } from "vitest";
import { createTemplates, english, type Dictionary, type RenderedEmail } from "convex-warden/delivery";

const templates = createTemplates();
const URL_ = "https://app.acme.example/auth/verify?token=Yk2pQ8rV5sT1&flow=signIn";
const CODE = "48291375";

/** The HTML as a browser reads it. */
const parse = (html: string) => new DOMParser().parseFromString(html, "text/html");

/** No external resources, nothing executable, every link an absolute http(s) URL. */
function expectSelfContained(html: string) {
  const doc = parse(html);
  expect(doc.querySelectorAll("script, img, link, iframe, object, embed, style, form, input")).toHaveLength(0);
  expect(html).not.toMatch(/url\(|@import|src=/i);
  for (const a of doc.querySelectorAll("a")) expect(a.getAttribute("href")).toMatch(/^https?:\/\//);
  for (const element of doc.querySelectorAll("*")) {
    for (const attribute of element.getAttributeNames()) expect(attribute.startsWith("on")).toBe(false);
  }
}

describe("each kind, in text and HTML", () => {
  test("signInCode: the code, its lifetime, and no secret in the subject", async () => {
    const email = await templates.signInCode({ appName: "Acme", code: CODE, minutes: 10 });
    expect(email.subject).toBe("Your sign-in code for Acme");
    expect(email.subject).not.toContain(CODE);
    expect(email.text).toContain(CODE);
    expect(email.text).toContain("10 minutes");
    const doc = parse(email.html);
    expect(doc.documentElement.getAttribute("lang")).toBe("en");
    expect(doc.querySelector("h1")?.textContent).toBe("Sign in to Acme");
    expect(doc.body.textContent).toContain(CODE);
    expect(doc.querySelectorAll("a")).toHaveLength(0);
    expectSelfContained(email.html);
  });

  test("magicLink: a button and the raw URL, and the code too when the flow issues both", async () => {
    const linkOnly = await templates.magicLink({ appName: "Acme", url: URL_, minutes: 60 });
    expect(linkOnly.text).toContain(URL_);
    expect(linkOnly.text).toContain("1 hour");
    expect(linkOnly.subject).not.toContain("token");
    const links = [...parse(linkOnly.html).querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual([URL_, URL_]);
    expect(links[0]!.textContent).toBe("Sign in to Acme");
    expect(links[1]!.textContent).toBe(URL_);
    expectSelfContained(linkOnly.html);

    const both = await templates.magicLink({ appName: "Acme", url: URL_, code: CODE, minutes: 15 });
    expect(both.text).toContain(CODE);
    expect(both.text).toContain(URL_);
    expect(parse(both.html).body.textContent).toContain(CODE);
    expect(both.text).toContain("The code and link expire in 15 minutes");
  });

  test("verifyEmail and passwordReset: by code, by link, or both", async () => {
    for (const kind of ["verifyEmail", "passwordReset"] as const) {
      const byCode = await templates[kind]({ appName: "Acme", code: CODE, minutes: 10 });
      expect(byCode.text).toContain(CODE);
      expect(parse(byCode.html).querySelectorAll("a")).toHaveLength(0);
      const byLink = await templates[kind]({ appName: "Acme", url: URL_, minutes: 30 });
      expect(byLink.text).toContain(URL_);
      expect(byLink.text).not.toContain(CODE);
      expect(parse(byLink.html).querySelector("a")?.getAttribute("href")).toBe(URL_);
      const both = await templates[kind]({ appName: "Acme", code: CODE, url: URL_, minutes: 30 });
      expect(both.text).toContain(CODE);
      expect(both.text).toContain(URL_);
      expectSelfContained(both.html);
      await expect(templates[kind]({ appName: "Acme", minutes: 10 })).rejects.toBeInstanceOf(TypeError);
    }
    expect((await templates.passwordReset({ appName: "Acme", code: CODE, minutes: 10 })).subject).toBe(
      "Reset your Acme password",
    );
  });

  test("emailChanged: the new address masked, and a help link when given", async () => {
    const notice = await templates.emailChanged({
      appName: "Acme",
      newEmail: "mallory.attacker@evil.example",
      supportUrl: "https://acme.example/help",
    });
    expect(notice.text).toContain("m•••r@evil.example");
    expect(notice.text).not.toContain("mallory.attacker");
    expect(notice.html).not.toContain("mallory.attacker");
    expect(parse(notice.html).querySelector("a")?.getAttribute("href")).toBe("https://acme.example/help");
    expectSelfContained(notice.html);

    const withoutHelp = await templates.emailChanged({ appName: "Acme", newEmail: "new@example.com" });
    expect(parse(withoutHelp.html).querySelectorAll("a")).toHaveLength(0);
  });

  test("smsCode: short text, with the WebOTP line last when a domain is given", async () => {
    const sms = await templates.smsCode({ appName: "Acme", code: "731904", minutes: 5 });
    expect(sms).toEqual({ text: "731904 is your Acme code. It expires in 5 minutes. Do not share it." });
    const autofill = await templates.smsCode({ appName: "Acme", code: "731904", minutes: 5, webOtpDomain: "app.acme.example" });
    expect(autofill.text.split("\n").at(-1)).toBe("@app.acme.example #731904");
  });
});

describe("escaping", () => {
  const hostile = `Acme <script>alert("x")</script> & <b onmouseover='y'>Co</b>`;

  test("every interpolated value is escaped in HTML, and reads back as the original text", async () => {
    const rendered: RenderedEmail[] = [
      await templates.signInCode({ appName: hostile, code: CODE, minutes: 10 }),
      await templates.magicLink({ appName: hostile, url: `${URL_}&x="><script>`, minutes: 10 }),
      await templates.verifyEmail({ appName: hostile, code: CODE, minutes: 10 }),
      await templates.passwordReset({ appName: hostile, url: URL_, minutes: 10 }),
      await templates.emailChanged({ appName: hostile, newEmail: "a<b>@x.example", supportUrl: URL_ }),
    ];
    for (const email of rendered) {
      expect(email.html).not.toContain("<script");
      expect(email.html).not.toContain("<b ");
      expect(email.html).toContain("&lt;script&gt;");
      const doc = parse(email.html);
      expect(doc.querySelectorAll("script, b")).toHaveLength(0);
      expect(doc.body.textContent).toContain(hostile);
      expect(doc.title).toBe(email.subject);
      expectSelfContained(email.html);
      // The text version is plain text: nothing is escaped there.
      expect(email.text).toContain(hostile);
    }
    const link = parse(rendered[1]!.html).querySelector("a")!;
    expect(link.getAttribute("href")).toBe(`${URL_}&x="><script>`);
  });

  test("a link that is not absolute http(s) never reaches an href", async () => {
    for (const url of ["javascript:alert(1)", "data:text/html,hi", "/relative", "//evil.example/x", "vbscript:x"]) {
      await expect(templates.magicLink({ appName: "Acme", url, minutes: 10 })).rejects.toBeInstanceOf(TypeError);
    }
  });

  test("bad variables are TypeErrors that do not show the code", async () => {
    const cases = [
      templates.signInCode({ appName: "", code: CODE, minutes: 10 }),
      templates.signInCode({ appName: "Acme", code: `${CODE}<`, minutes: 10 }),
      templates.signInCode({ appName: "Acme", code: CODE, minutes: 0 }),
      templates.signInCode({ appName: "Acme", code: CODE, minutes: 2.5 }),
      templates.signInCode({ appName: "Acme", code: CODE, minutes: 10, locale: "en<" }),
      templates.emailChanged({ appName: "Acme", newEmail: "nobody" }),
      templates.smsCode({ appName: "Acme", code: CODE, minutes: 10, webOtpDomain: "not a host" }),
    ];
    for (const pending of cases) {
      const error = await pending.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).not.toContain(CODE);
    }
  });
});

describe("locales", () => {
  const french: Partial<Dictionary> = {
    signInCode: ({ appName, minutes }) => ({
      subject: `Votre code de connexion à ${appName}`,
      heading: `Connexion à ${appName}`,
      intro: ["Saisissez ce code :"],
      outro: [`Il expire dans ${minutes} minutes.`],
    }),
    smsCode: ({ appName, code }) => `${code} est votre code ${appName}.`,
  };
  const arabic: Partial<Dictionary> = {
    direction: "rtl",
    signInCode: ({ appName }) => ({ subject: `رمز الدخول إلى ${appName}`, heading: appName, intro: ["أدخل هذا الرمز:"], outro: [] }),
  };
  const localized = createTemplates({ locales: { fr: french, ar: arabic } });

  test("a second locale is picked by the locale variable, by exact tag or by language", async () => {
    for (const locale of ["fr", "fr-CA", "FR_ca"]) {
      const email = await localized.signInCode({ appName: "Acme", code: CODE, minutes: 10, locale });
      expect(email.subject).toBe("Votre code de connexion à Acme");
      expect(email.text).toContain("Il expire dans 10 minutes.");
      expect(parse(email.html).documentElement.getAttribute("lang")).toBe("fr");
    }
    expect((await localized.smsCode({ appName: "Acme", code: "731904", minutes: 5, locale: "fr" })).text).toBe(
      "731904 est votre code Acme.",
    );
  });

  test("a kind the locale lacks, and an unknown locale, fall back to English (and say so in lang)", async () => {
    const reset = await localized.passwordReset({ appName: "Acme", code: CODE, minutes: 10, locale: "fr" });
    expect(reset.subject).toBe("Reset your Acme password");
    expect(parse(reset.html).documentElement.getAttribute("lang")).toBe("en");
    const unknown = await localized.signInCode({ appName: "Acme", code: CODE, minutes: 10, locale: "sw" });
    expect(unknown.subject).toBe("Your sign-in code for Acme");
  });

  test("a right-to-left locale sets dir", async () => {
    const email = await localized.signInCode({ appName: "Acme", code: CODE, minutes: 10, locale: "ar-EG" });
    expect(parse(email.html).documentElement.getAttribute("dir")).toBe("rtl");
    expect(email.subject).toBe("رمز الدخول إلى Acme");
  });

  test("an app can replace English copy for one kind", async () => {
    const custom = createTemplates({
      locales: { en: { signInCode: (v) => ({ ...english.signInCode(v), subject: `${v.appName}: your code` }) } },
    });
    expect((await custom.signInCode({ appName: "Acme", code: CODE, minutes: 10 })).subject).toBe("Acme: your code");
    expect((await custom.passwordReset({ appName: "Acme", code: CODE, minutes: 10 })).subject).toBe("Reset your Acme password");
  });

  test("malformed dictionaries are TypeErrors", () => {
    expect(() => createTemplates({ locales: { "fr<": french } })).toThrow(TypeError);
    expect(() => createTemplates({ locales: { fr: { signInCode: "Bonjour" } as never } })).toThrow(TypeError);
    expect(() => createTemplates({ locales: { fr: { signInCodes: () => ({}) } as never } })).toThrow(TypeError);
    expect(() => createTemplates({ locales: { fr: { direction: "up" } as never } })).toThrow(TypeError);
  });
});

describe("overrides", () => {
  test("an override replaces one kind, and can start from the default rendering", async () => {
    const custom = createTemplates({
      overrides: {
        passwordReset: async (variables, defaults) => ({ ...defaults(), subject: `[${variables.appName}] reset` }),
        smsCode: ({ code }) => ({ text: `code ${code}` }),
      },
    });
    const reset = await custom.passwordReset({ appName: "Acme", url: URL_, minutes: 30 });
    expect(reset.subject).toBe("[Acme] reset");
    expect(reset.text).toContain(URL_);
    expect(await custom.smsCode({ appName: "Acme", code: "731904", minutes: 5 })).toEqual({ text: "code 731904" });
    expect((await custom.signInCode({ appName: "Acme", code: CODE, minutes: 10 })).subject).toBe("Your sign-in code for Acme");
  });

  test("variables are checked before an override runs, and its result must be sendable", async () => {
    let calls = 0;
    const custom = createTemplates({
      overrides: {
        magicLink: () => {
          calls++;
          return { subject: "", text: "", html: "" };
        },
      },
    });
    await expect(custom.magicLink({ appName: "Acme", url: "javascript:x", minutes: 5 })).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(0);
    await expect(custom.magicLink({ appName: "Acme", url: URL_, minutes: 5 })).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
    expect(() => createTemplates({ overrides: { signIn: () => ({}) } as never })).toThrow(TypeError);
  });
});
