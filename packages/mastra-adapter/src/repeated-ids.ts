/** Returns the ids that `idOf` gives for more than one of `items`, in first-seen order. */
export function repeatedIds<Item>(items: readonly Item[], idOf: (item: Item) => string): string[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(idOf(item), (counts.get(idOf(item)) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1).map(([id]) => id);
}
