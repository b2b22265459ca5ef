import { CfkvError } from './errors.js';
import { MAX_KEY_BYTES } from './limits.js';
import { assertWellFormedText } from './well-formed-text.js';

const PART_SEPARATOR = ':';
const textEncoder = new TextEncoder();

/**
 * Characters escaped in a key part: `%` (the escape), `:` (the separator) and the control
 * characters U+0000 to U+001F and U+007F. A prefix list in local KV (Miniflare 4) did not return
 * keys containing a NUL, and Cloudflare does not document control characters as safe in key
 * names, so they never reach a key.
 */
const ESCAPED_CHARACTERS = /[%:\u0000-\u001f\u007f]/g;
const ESCAPE_SEQUENCE = /%(25|3A|[01][0-9A-F]|7F)/g;

/**
 * Escapes one key part so that it contains no `:`, no bare `%` and no control character, each
 * written as `%` and two upper-case hex digits. Because the escaping is injective and the
 * separator never survives it, no id can form another record's key or become the prefix of
 * another record's keys.
 */
export function escapeKeyPart(part: string): string {
  return part.replace(ESCAPED_CHARACTERS, (character) => {
    const code = character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    return `%${code}`;
  });
}

export function unescapeKeyPart(escaped: string): string {
  return escaped.replace(ESCAPE_SEQUENCE, (_match, code: string) =>
    String.fromCharCode(Number.parseInt(code, 16)),
  );
}

export function utf8ByteLength(text: string): number {
  return textEncoder.encode(text).byteLength;
}

/**
 * Builds and parses keys of the form `{keyPrefix}{table}:{part}:{part}...`. The key prefix is
 * escaped like a part, so two stores with different prefixes can never list each other's keys.
 */
export class KeySchema {
  readonly keyPrefix: string;
  readonly #escapedPrefix: string;

  constructor(keyPrefix = '') {
    this.keyPrefix = keyPrefix;
    this.#escapedPrefix = escapeKeyPart(keyPrefix);
  }

  /**
   * The full key of a record. Throws INVALID_ARGUMENT naming `field` for a part that is not
   * well-formed Unicode, and KEY_TOO_LARGE past 512 bytes of UTF-8.
   */
  key(table: string, parts: readonly string[], field = 'key'): string {
    for (const part of parts) assertWellFormedText(part, { table, field });
    const key = this.#join(table, parts);
    assertKeySize(key, { table, field });
    return key;
  }

  /**
   * The prefix shared by every key whose leading parts are `parts`. It ends with the
   * separator, so the prefix of id `a` never matches the keys of id `a:b` or `ab`.
   */
  prefix(table: string, parts: readonly string[] = []): string {
    return this.#join(table, parts) + PART_SEPARATOR;
  }

  /** The parts of a key built by {@link key} for `table`, unescaped. */
  parse(table: string, key: string): string[] {
    const tablePrefix = this.prefix(table);
    if (!key.startsWith(tablePrefix)) {
      throw new CfkvError('CORRUPT_RECORD', `Key does not belong to table ${table}.`, {
        table,
        key,
      });
    }
    return key.slice(tablePrefix.length).split(PART_SEPARATOR).map(unescapeKeyPart);
  }

  #join(table: string, parts: readonly string[]): string {
    assertTableName(table);
    const escapedParts = parts.map(escapeKeyPart);
    return [`${this.#escapedPrefix}${table}`, ...escapedParts].join(PART_SEPARATOR);
  }
}

/**
 * Table names are not escaped because they come from code, so one containing the separator would
 * let the tables of two key prefixes overlap.
 */
function assertTableName(table: string): void {
  if (!table.includes(PART_SEPARATOR)) return;

  throw new CfkvError('INVALID_ARGUMENT', `Table name "${table}" must not contain ":".`, {
    table,
    field: 'table',
  });
}

/** Throws KEY_TOO_LARGE, naming `field` and both sizes, when `key` is over 512 UTF-8 bytes. */
export function assertKeySize(key: string, context: { table?: string; field?: string } = {}): void {
  const bytes = utf8ByteLength(key);
  if (bytes <= MAX_KEY_BYTES) return;

  const field = context.field ?? 'key';
  throw new CfkvError(
    'KEY_TOO_LARGE',
    `${field} makes a key of ${bytes} bytes${context.table ? ` in ${context.table}` : ''}; ` +
      `KV keys are at most ${MAX_KEY_BYTES} bytes of UTF-8.`,
    { table: context.table, field, limit: MAX_KEY_BYTES, actual: bytes },
  );
}
