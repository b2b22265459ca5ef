const textEncoder = new TextEncoder();

/**
 * Compares two strings by their UTF-8 bytes, the order in which KV lists keys. JavaScript's
 * default comparison uses UTF-16 code units and differs for characters past U+FFFF.
 */
export function compareUtf8(left: string, right: string): number {
  const leftBytes = textEncoder.encode(left);
  const rightBytes = textEncoder.encode(right);
  const length = Math.min(leftBytes.length, rightBytes.length);
  for (let index = 0; index < length; index++) {
    const difference = (leftBytes[index] as number) - (rightBytes[index] as number);
    if (difference !== 0) return difference;
  }
  return leftBytes.length - rightBytes.length;
}
