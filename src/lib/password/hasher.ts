/**
 * How passwords are stored and checked. The default is argon2id; an app can
 * pass its own (e.g. to verify hashes imported from another system).
 */
export interface PasswordHasher {
  /** A new self-describing hash (PHC string) of an already normalized password. */
  hash(password: string): Promise<string>;
  /** Whether `password` matches `stored`. False, not a throw, for a corrupt hash. */
  verify(stored: string, password: string): Promise<boolean>;
  /** Whether `stored` was made with a weaker scheme or parameters than today's. */
  needsRehash(stored: string): boolean;
}
