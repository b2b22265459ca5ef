import { randomUUID } from 'node:crypto';

/** Returns a KV key prefix no other test uses, so tests never read each other's keys. */
export function randomPrefix(): string {
  return `test-${randomUUID().slice(0, 8)}:`;
}
