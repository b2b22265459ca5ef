import type { Transport } from '@cfkv/core';

type Method = 'get' | 'getMany' | 'put' | 'putMany' | 'delete' | 'deleteMany' | 'list';

/** A hook run around one call of `method` on `table` by one wrapped transport. */
export interface CallHook {
  method: Method;
  table: string;
  /** Which call of `method` on `table`, counted from 1. Default 1. */
  call?: number;
  /** Awaited before the call is made. */
  before?: () => Promise<void>;
  /** Run once the call has finished. */
  after?: () => void;
}

/** A one-shot signal: `wait` resolves once `open` was called. */
export interface Signal {
  wait: () => Promise<void>;
  open: () => void;
}

export function signal(): Signal {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open };
}

/**
 * Wraps a transport so that the call each hook names runs the hook around it. Two writers
 * wrapped this way can be made to interleave in one exact order.
 */
export function withCallHooks(transport: Transport, hooks: readonly CallHook[]): Transport {
  const callCounts = new Map<string, number>();
  return new Proxy(transport, {
    get: (target, property) => {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;

      const call = value.bind(target) as (table: string, ...rest: unknown[]) => Promise<unknown>;
      return async (table: string, ...rest: unknown[]) => {
        const counted = `${String(property)} ${table}`;
        const count = (callCounts.get(counted) ?? 0) + 1;
        callCounts.set(counted, count);
        const hook = hooks.find(
          (candidate) =>
            candidate.method === property &&
            candidate.table === table &&
            (candidate.call ?? 1) === count,
        );

        await hook?.before?.();
        const result = await call(table, ...rest);
        hook?.after?.();
        return result;
      };
    },
  });
}

/** Builds hooks around the first call of each named method on `table`. */
export function onFirstCalls(
  table: string,
  hooks: Partial<Record<Method, Pick<CallHook, 'before' | 'after'>>>,
): CallHook[] {
  return Object.entries(hooks).map(([method, hook]) => ({
    ...hook,
    method: method as Method,
    table,
  }));
}

/**
 * Hooks that make two writers of one record interleave as: both read, the first writes, the
 * second writes, then the first deletes what it replaced. `table` contains the record and its
 * index keys; `readMethod` and `writeMethod` are the calls each writer reads and writes it with.
 */
export function readWriteWriteDelete(
  table: string,
  readMethod: Method,
  writeMethod: Method,
): { first: CallHook[]; second: CallHook[] } {
  const secondRead = signal();
  const firstWrote = signal();
  const secondWrote = signal();
  return {
    first: [
      { method: writeMethod, table, before: secondRead.wait, after: firstWrote.open },
      { method: 'deleteMany', table, before: secondWrote.wait },
    ],
    second: [
      { method: readMethod, table, after: secondRead.open },
      { method: writeMethod, table, before: firstWrote.wait, after: secondWrote.open },
    ],
  };
}
