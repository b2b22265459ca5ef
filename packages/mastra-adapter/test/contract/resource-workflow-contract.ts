import { describe, expect, it } from 'vitest';
import { memoryOf, type CreateStore } from './store-fixture.js';
import { useStoreFixture } from './use-fixture.js';

/** Resources. Workflow snapshots and runs have their own suite in workflows-contract.ts. */
export function describeResourceWorkflowContract(name: string, createStore: CreateStore): void {
  describe(`${name}: resources`, () => {
    const fixture = useStoreFixture(createStore);

    it('saveResource: round-trips working memory and metadata', async () => {
      const memory = memoryOf(fixture().store);
      const createdAt = new Date('2024-05-06T07:08:09.010Z');
      await memory.saveResource({
        resource: {
          id: 'r1',
          workingMemory: '# notes',
          metadata: { a: 1 },
          createdAt,
          updatedAt: createdAt,
        },
      });

      const resource = await memory.getResourceById({ resourceId: 'r1' });
      expect(resource?.workingMemory).toBe('# notes');
      expect(resource?.metadata).toEqual({ a: 1 });
      expect(resource?.createdAt).toBeInstanceOf(Date);
      expect(resource?.createdAt.getTime()).toBe(createdAt.getTime());
      expect(await memory.getResourceById({ resourceId: 'missing' })).toBeNull();
    });

    it('updateResource: creates a missing resource and merges metadata', async () => {
      const memory = memoryOf(fixture().store);

      const created = await memory.updateResource({ resourceId: 'r1', workingMemory: 'first' });
      expect(created.workingMemory).toBe('first');
      expect(created.metadata).toEqual({});
      await memory.updateResource({ resourceId: 'r1', metadata: { a: 1 } });
      const updated = await memory.updateResource({ resourceId: 'r1', metadata: { b: 2 } });

      expect(updated.workingMemory).toBe('first');
      expect(updated.metadata).toEqual({ a: 1, b: 2 });
      const read = await memory.getResourceById({ resourceId: 'r1' });
      expect(read?.metadata).toEqual({ a: 1, b: 2 });
    });
  });
}
