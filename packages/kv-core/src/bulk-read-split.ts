/**
 * Reads `keys` with one bulk get and, when KV rejects it because the values together exceed its
 * 25 MB bulk read limit, reads each half the same way, down to single gets. Callers cannot know
 * value sizes before reading, so a rejected bulk get must still return every value.
 */
export async function readBulkOrSplit<Value>(
  keys: readonly string[],
  reader: {
    readBulk: (keys: readonly string[]) => Promise<Map<string, Value>>;
    readOne: (key: string) => Promise<Value>;
    isTooLarge: (error: unknown) => boolean;
  },
): Promise<Map<string, Value>> {
  try {
    return await reader.readBulk(keys);
  } catch (error) {
    if (!reader.isTooLarge(error)) throw error;
  }

  const [onlyKey] = keys;
  if (keys.length === 1 && onlyKey !== undefined) {
    return new Map([[onlyKey, await reader.readOne(onlyKey)]]);
  }
  const middle = Math.ceil(keys.length / 2);
  const halves = await Promise.all(
    [keys.slice(0, middle), keys.slice(middle)].map((half) => readBulkOrSplit(half, reader)),
  );
  return new Map(halves.flatMap((half) => [...half]));
}
