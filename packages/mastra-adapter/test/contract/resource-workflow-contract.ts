import { describe, expect, it } from 'vitest';
import type { WorkflowRunState } from '@mastra/core/workflows';
import { memoryOf, type CreateStore } from './store-fixture.js';
import { useStoreFixture } from './use-fixture.js';

export function describeResourceWorkflowContract(name: string, createStore: CreateStore): void {
  describe(`${name}: resources and workflow snapshots`, () => {
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

    it('persistWorkflowSnapshot: round-trips through loadWorkflowSnapshot', async () => {
      const workflows = fixture().store.stores.workflows;
      const snapshot = {
        runId: 'r',
        status: 'running',
        value: { n: 1 },
      } as unknown as WorkflowRunState;

      await workflows.persistWorkflowSnapshot({ workflowName: 'wf:1', runId: 'r', snapshot });

      expect(await workflows.loadWorkflowSnapshot({ workflowName: 'wf:1', runId: 'r' })).toEqual(
        snapshot,
      );
      expect(await workflows.loadWorkflowSnapshot({ workflowName: 'wf', runId: '1:r' })).toBeNull();
      expect(await workflows.loadWorkflowSnapshot({ workflowName: 'wf:1', runId: 'x' })).toBeNull();
    });

    it('persistWorkflowSnapshot: stores a snapshot over the KV value limit', async () => {
      const workflows = fixture().store.stores.workflows;
      const large = 'x'.repeat(26 * 1024 * 1024);
      const snapshot = {
        runId: 'big',
        status: 'success',
        value: { large },
      } as unknown as WorkflowRunState;

      await workflows.persistWorkflowSnapshot({ workflowName: 'wf', runId: 'big', snapshot });

      const loaded = await workflows.loadWorkflowSnapshot({ workflowName: 'wf', runId: 'big' });
      expect((loaded as unknown as { value: { large: string } }).value.large.length).toBe(
        large.length,
      );
    }, 120_000);
  });
}
