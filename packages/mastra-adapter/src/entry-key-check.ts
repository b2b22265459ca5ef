import { encodeScore, encodeSequence, type KeySchema } from '@cfkv/core';

export interface EntryKeyCheck {
  table: string;
  index: string;
  owner: string;
  member: string;
  ownerField: string;
  memberField: string;
}

/**
 * Builds the longest key a sorted-set entry can have (scores and tiebreaks have a fixed width),
 * so an id too long for KV's 512-byte keys is rejected before anything is written.
 */
export function assertEntryKeyFits(keys: KeySchema, check: EntryKeyCheck): void {
  const orderParts = [encodeScore(0), encodeSequence(0)];
  const ownerParts = [check.index, check.owner, 'a', ...orderParts];
  keys.key(check.table, ownerParts, check.ownerField);
  keys.key(check.table, [...ownerParts, check.member], check.memberField);
}
