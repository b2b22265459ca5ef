import { CfkvError } from './errors.js';

/** With the `u` flag a surrogate pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Rejects text containing a lone UTF-16 surrogate, the check of `String.prototype.isWellFormed()`
 * (ES2024), naming `context.field`.
 */
export function assertWellFormedText(
  text: string,
  context: { table?: string; key?: string; field: string },
): void {
  const match = LONE_SURROGATE.exec(text);
  if (match === null) return;

  const codeUnit = text.charCodeAt(match.index).toString(16).toUpperCase();
  const place = context.table === undefined ? '' : ` in ${context.table}`;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${context.field}${place} is not well-formed Unicode: it has a lone surrogate U+${codeUnit} ` +
      `at index ${match.index}. KV keys are UTF-8 text, so pass a string without unpaired ` +
      'surrogates.',
    context,
  );
}
