/**
 * A Cloudflare account id (32 lowercase hexadecimal characters) or a simple local name such as
 * the default `local-account`. Either fits in one URL path segment unescaped, so clients can
 * reach it as `/accounts/{id}/...`.
 */
const ACCOUNT_ID_PATTERN = /^(?:[0-9a-f]{32}|[A-Za-z0-9][A-Za-z0-9_-]{0,63})$/;

export function isValidAccountId(accountId: string): boolean {
  return ACCOUNT_ID_PATTERN.test(accountId);
}

export function describeInvalidAccountId(accountId: string): string {
  return (
    `Invalid account id ${JSON.stringify(accountId)}; use 32 hexadecimal characters or up to ` +
    '64 letters, digits, "-" and "_" starting with a letter or digit.'
  );
}
