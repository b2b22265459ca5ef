import { requireDomain, type WorkloadStep } from '../workload-step.js';
import { FIXED_SIZES } from '../workload-sizes.js';

export const updateMessage: WorkloadStep = {
  name: 'update-message',
  summary: "updateMessages of one message's content in the middle of the long thread",
  domain: 'memory',
  requires: 'grow-thread',
  async run(state) {
    const memory = requireDomain(state, 'memory');
    const ids = state.longThreadMessageIds;
    const id = ids[Math.floor(ids.length / 2)]!;
    await memory.updateMessages({
      messages: [
        {
          id,
          content: {
            format: 2,
            parts: [{ type: 'text', text: 'Updated by the benchmark.' }],
          },
        },
      ],
    });
    return { messages: 1 };
  },
};

export const updateThread: WorkloadStep = {
  name: 'update-thread',
  summary: 'updateThread of the long thread (title and metadata)',
  domain: 'memory',
  requires: 'grow-thread',
  async run(state) {
    const memory = requireDomain(state, 'memory');
    await memory.updateThread({
      id: state.longThreadId,
      title: 'Renamed by the benchmark',
      metadata: { source: 'bench', renamed: true },
    });
    return { threads: 1 };
  },
};

export const deleteMessages: WorkloadStep = {
  name: 'delete-messages',
  summary: `deleteMessages of ${FIXED_SIZES.deletedMessages} messages of the long thread`,
  domain: 'memory',
  requires: 'grow-thread',
  async run(state) {
    const memory = requireDomain(state, 'memory');
    const ids = state.longThreadMessageIds;
    const start = Math.floor(ids.length / 4);
    const deleted = ids.splice(start, FIXED_SIZES.deletedMessages);
    await memory.deleteMessages(deleted);
    return { messages: deleted.length };
  },
};

export const deleteThread: WorkloadStep = {
  name: 'delete-thread',
  summary: `deleteThread of the thread of ${FIXED_SIZES.equalTimestampMessages} messages`,
  domain: 'memory',
  requires: 'equal-timestamps',
  async run(state) {
    const memory = requireDomain(state, 'memory');
    await memory.deleteThread({ threadId: state.equalTimestampThreadId });
    return { messages: FIXED_SIZES.equalTimestampMessages };
  },
};
