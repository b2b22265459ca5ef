import type { KVNamespaceLike } from '@cfkv/core';

/** Tracks how many KV binding calls are in flight at once, across every namespace. */
export class ConcurrencyGauge {
  #inFlight = 0;
  #max = 0;

  get max(): number {
    return this.#max;
  }

  reset(): void {
    this.#max = this.#inFlight;
  }

  async track<T>(call: () => Promise<T>): Promise<T> {
    this.#inFlight += 1;
    this.#max = Math.max(this.#max, this.#inFlight);
    try {
      return await call();
    } finally {
      this.#inFlight -= 1;
    }
  }
}

/** Wraps each namespace so that every call passes through `gauge`. */
export function gaugeNamespaces(
  namespaces: Record<string, KVNamespaceLike>,
  gauge: ConcurrencyGauge,
): Record<string, KVNamespaceLike> {
  return Object.fromEntries(
    Object.entries(namespaces).map(([table, namespace]) => [
      table,
      gaugeNamespace(namespace, gauge),
    ]),
  );
}

function gaugeNamespace(namespace: KVNamespaceLike, gauge: ConcurrencyGauge): KVNamespaceLike {
  return new Proxy(namespace, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        gauge.track(() =>
          (value as (...callArgs: unknown[]) => Promise<unknown>).apply(target, args),
        );
    },
  });
}
