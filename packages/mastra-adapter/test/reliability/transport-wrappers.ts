import { CfkvError, type Transport } from '@cfkv/core';

/** Wraps a transport so that the first `times` puts of a key ending in `suffix` fail, storing nothing. */
export function failPuts(transport: Transport, suffix: string, times = 1): Transport {
  let failures = 0;
  const put: Transport['put'] = async (table, key, value, options) => {
    if (failures < times && key.endsWith(suffix)) {
      failures += 1;
      throw new CfkvError('TRANSPORT_FAILED', 'injected failure of the record write');
    }
    return transport.put(table, key, value, options);
  };
  return withMethod(transport, 'put', put);
}

/**
 * Wraps a transport so that the first `times` bulk writes containing a key ending in `suffix` write
 * every other key and then fail, as a save does when KV drops one key of its batch.
 */
export function dropFromPutMany(transport: Transport, suffix: string, times = 1): Transport {
  let failures = 0;
  const putMany: Transport['putMany'] = async (table, entries) => {
    if (failures >= times || !entries.some((entry) => entry.key.endsWith(suffix))) {
      return transport.putMany(table, entries);
    }
    failures += 1;
    await transport.putMany(
      table,
      entries.filter((entry) => !entry.key.endsWith(suffix)),
    );
    throw new CfkvError('TRANSPORT_FAILED', 'injected failure of the record write');
  };
  return withMethod(transport, 'putMany', putMany);
}

/** Wraps a transport so that `method` runs `implementation`, and every other call passes through. */
export function withMethod<Method extends keyof Transport>(
  transport: Transport,
  method: Method,
  implementation: Transport[Method],
): Transport {
  return new Proxy(transport, {
    get: (target, property) => {
      if (property === method) return implementation;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
