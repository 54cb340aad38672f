/**
 * Where the bench apps' email providers "send" one-time codes: the latest code
 * per address, kept in memory for the driver to read back.
 */
const codes = new Map<string, string>();

export function deliver(email: string, code: string): void {
  codes.set(email, code);
}

export function takeCode(email: string): string {
  const code = codes.get(email);
  if (code === undefined) throw new Error(`No code was sent to ${email}`);
  codes.delete(email);
  return code;
}
