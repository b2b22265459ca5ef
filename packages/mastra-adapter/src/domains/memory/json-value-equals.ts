/**
 * Deep equality of JSON values, with Dates equal by time, as Mastra's stores compare thread
 * metadata filters.
 */
export function jsonValueEquals(left: unknown, right: unknown): boolean {
  if (left === undefined || right === undefined) return left === right;
  if (left === null || right === null) return left === right;
  if (typeof left !== typeof right) return false;
  if (left instanceof Date && right instanceof Date) return left.getTime() === right.getTime();
  if (left instanceof Date || right instanceof Date) return false;
  if (typeof left !== 'object') return left === right;

  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((value, index) => jsonValueEquals(value, right[index]));
  }
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const leftKeys = Object.keys(leftRecord);
  if (leftKeys.length !== Object.keys(rightRecord).length) return false;
  return leftKeys.every((key) => jsonValueEquals(leftRecord[key], rightRecord[key]));
}
