import { CfkvError, type KVNamespaceLike } from '@cfkv/core';

const REQUIRED_METHODS = ['get', 'put', 'list', 'delete'] as const;

/** Rejects a `namespaces` value that is not a record of KV namespace bindings, naming the binding. */
export function assertKvNamespaces(namespaces: unknown): void {
  if (typeof namespaces !== 'object' || namespaces === null || Array.isArray(namespaces)) {
    throw new CfkvError(
      'INVALID_ARGUMENT',
      'namespaces must be an object of KV namespace bindings by table name, such as ' +
        '{ mastra_threads: env.THREADS }.',
      { field: 'namespaces' },
    );
  }
  for (const [binding, namespace] of Object.entries(namespaces)) {
    assertKvNamespace(binding, namespace);
  }
}

function assertKvNamespace(
  binding: string,
  namespace: unknown,
): asserts namespace is KVNamespaceLike {
  const missing = REQUIRED_METHODS.filter((method) => !hasMethod(namespace, method));
  if (missing.length === 0) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `namespaces.${binding} is not a KV namespace: it has no ${missing.join(', ')} method. ` +
      `Pass the binding object from env, such as env.${binding.toUpperCase()}.`,
    { table: binding, field: `namespaces.${binding}` },
  );
}

function hasMethod(value: unknown, method: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return typeof (value as Record<string, unknown>)[method] === 'function';
}

export function assertMaxConcurrency(maxConcurrency: number): void {
  if (Number.isInteger(maxConcurrency) && maxConcurrency >= 1) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `maxConcurrency is ${maxConcurrency}; it must be a whole number of at least 1.`,
    { field: 'maxConcurrency', actual: maxConcurrency },
  );
}
