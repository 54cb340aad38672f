import { expect, test } from "vitest";
import { deviceLabel } from "../../src/lib/userAgent";
import { coarseNetwork } from "../../src/lib/network";

test.each([
  ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome on Windows"],
  ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36", "Chrome on Linux"],
  ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.56", "Edge on Windows"],
  ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0", "Opera on macOS"],
  ["Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox on Linux"],
  ["Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iPadOS"],
  ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1", "Chrome on iOS"],
  ["Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet on Android"],
  ["Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome on ChromeOS"],
  ["curl/8.8.0", "curl"],
  ["node", "Node.js"],
  ["python-requests/2.32.3", "Python"],
  ["SomethingElse/1.0", "Unknown device"],
])("%s is %s", (userAgent, label) => {
  expect(deviceLabel(userAgent)).toBe(label);
});

test("no user agent, no label; a huge one is cut before it is matched", () => {
  expect(deviceLabel(null)).toBeNull();
  expect(deviceLabel("")).toBeNull();
  expect(deviceLabel(`${"x".repeat(10_000)} Firefox/1`)).toBe("Unknown device");
});

test.each([
  ["203.0.113.77", "203.0.113.0/24"],
  ["2001:db8:1234:5678:9abc:def0:1234:5678", "2001:db8:1234::/48"],
  ["2001:db8::1", "2001:db8:0::/48"],
  ["::ffff:198.51.100.9", "198.51.100.0/24"],
  ["::1", "0:0:0::/48"],
  ["fe80::1:2:3:4", "fe80:0:0::/48"],
])("%s is in %s", (ip, network) => {
  expect(coarseNetwork(ip)).toBe(network);
});

test.each(["", "256.1.1.1", "1.2.3", "1:2:3:4:5:6:7:8:9", "1::2::3", "gggg::1", "not an ip", "1.2.3.4.5", "::ffff:1.2.3.999"])(
  "%j is not an address",
  (ip) => {
    expect(coarseNetwork(ip)).toBeNull();
  },
);
