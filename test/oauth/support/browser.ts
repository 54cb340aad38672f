/**
 * A browser as far as an authorization server can tell: it keeps cookies,
 * follows redirects by hand, fills in the test provider's login and consent
 * forms, and stops where the provider sends it back to the app.
 */
export interface Callback {
  method: "GET" | "POST";
  /** The query (GET) or form body (POST) the app's callback route receives. */
  parameters: URLSearchParams;
}

export interface AuthorizeOptions {
  /** The app's callback URL, where the walk stops. */
  redirectUri: string;
  /** The account to sign in as at the login form. Default: "alice". */
  login?: string;
  /** Decline at the login form instead (the provider answers access_denied). */
  decline?: boolean;
}

const hiddenInputs = (html: string) =>
  new URLSearchParams(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [
      m[1]!,
      m[2]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"),
    ]),
  );

export class Browser {
  private readonly cookies = new Map<string, string>();

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now());
      if (value === "" || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([n, v]) => `${n}=${v}`).join("; ");
    if (form) headers["content-type"] = "application/x-www-form-urlencoded";
    const response = await fetch(url, {
      method: form ? "POST" : "GET",
      headers,
      body: form ? new URLSearchParams(form) : undefined,
      redirect: "manual",
    });
    this.remember(response);
    return response;
  }

  /** Walks from the authorization URL to the app's callback. */
  async authorize(authorizationUrl: string, options: AuthorizeOptions): Promise<Callback> {
    let response = await this.request(authorizationUrl);
    let url = authorizationUrl;
    for (let step = 0; step < 12; step++) {
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location !== null) {
        const next = new URL(location, url).href;
        if (next.startsWith(options.redirectUri)) return { method: "GET", parameters: new URL(next).searchParams };
        url = next;
        response = await this.request(url);
        continue;
      }
      const html = await response.text();
      if (response.status === 200 && html.includes(`action="${options.redirectUri}"`)) {
        return { method: "POST", parameters: hiddenInputs(html) };
      }
      if (html.includes('name="prompt" value="login"')) {
        response = options.decline
          ? await this.request(`${url}/abort`)
          : await this.request(url, { prompt: "login", login: options.login ?? "alice", password: "any" });
        continue;
      }
      if (html.includes('name="prompt" value="consent"')) {
        response = await this.request(url, { prompt: "consent" });
        continue;
      }
      throw new Error(`the provider answered ${response.status} at ${url}: ${html.slice(0, 300)}`);
    }
    throw new Error("too many steps before the callback");
  }
}

type FetchFn = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * The app's fetch, watched: records every URL requested and lets a test
 * rewrite responses on the way back (a substituted ID token, a MITM).
 */
export function watchedFetch(rewrite?: (url: string, response: Response, init?: RequestInit) => Promise<Response> | Response) {
  const calls: string[] = [];
  const fetchFn: FetchFn = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push(url);
    const response = await fetch(input, init);
    return rewrite ? rewrite(url, response, init) : response;
  };
  return { fetch: fetchFn, calls };
}
