/**
 * The key an account's failed sign-ins are counted under: the provider and
 * the account's identifier within it. One place, so the providers that count
 * failures and the deletion of a user that clears them agree.
 */
export const accountLimitKey = (provider: string, providerAccountId: string) => `${provider}:${providerAccountId}`;
