/**
 * A coarse location for a session from the one thing the runtime gives, the
 * client's IP address: its network, not the address. IPv4 addresses keep
 * their /24 ("203.0.113.0/24"), IPv6 their /48 ("2001:db8:1::/48"). No
 * lookup service is asked; the full address is never stored.
 */
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

function ipv4Octets(ip: string): number[] | null {
  const match = IPV4.exec(ip);
  if (match === null) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

/** The eight 16-bit groups of an IPv6 address (with `::` expanded), or null. */
function ipv6Groups(ip: string): number[] | null {
  const halves = ip.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":"));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  // An embedded IPv4 address at the end stands for the last two groups.
  const last = (tail.length > 0 ? tail : head).at(-1);
  const embedded = last !== undefined && last.includes(".") ? ipv4Octets(last) : null;
  if (last !== undefined && last.includes(".")) {
    if (embedded === null) return null;
    (tail.length > 0 ? tail : head).pop();
  }
  const groups = [...head, ...tail];
  if (!groups.every((group) => HEXTET.test(group))) return null;
  const numbers = groups.map((group) => parseInt(group, 16));
  const extra = embedded === null ? [] : [embedded[0]! * 256 + embedded[1]!, embedded[2]! * 256 + embedded[3]!];
  const explicit = numbers.length + extra.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return null;
  const headNumbers = numbers.slice(0, head.length);
  const tailNumbers = [...numbers.slice(head.length), ...extra];
  return [...headNumbers, ...new Array<number>(8 - explicit).fill(0), ...tailNumbers];
}

/** The client's network, or null when there is no (valid) address. */
export function coarseNetwork(ip: string | null | undefined): string | null {
  if (!ip || ip.length > 64) return null;
  const v4 = ipv4Octets(ip);
  if (v4 !== null) return `${v4[0]}.${v4[1]}.${v4[2]}.0/24`;
  const groups = ipv6Groups(ip);
  if (groups === null) return null;
  // An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d).
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high, low] = [groups[6]!, groups[7]!];
    return `${high >> 8}.${high & 255}.${low >> 8}.0/24`;
  }
  return `${groups.slice(0, 3).map((group) => group.toString(16)).join(":")}::/48`;
}
