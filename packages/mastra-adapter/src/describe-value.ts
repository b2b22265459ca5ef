const DESCRIBED_CHARACTERS = 60;

/** Describes a bad value in a few words for an error message, for values of any type. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const truncated =
      value.length > DESCRIBED_CHARACTERS ? `${value.slice(0, DESCRIBED_CHARACTERS)}...` : value;
    return JSON.stringify(truncated);
  }
  if (typeof value === 'bigint') return `${value}n`;
  // A function's text is its source code, which can hold secrets, so only its kind is named.
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
