/**
 * Returns a key prefix no other test shares, so tests can run against one namespace at the same
 * time and never see each other's keys.
 */
export function randomPrefix(label = 'test'): string {
  return `${label}-${crypto.randomUUID()}:`;
}
