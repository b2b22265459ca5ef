/**
 * Lets many KV calls run together but gives a Miniflare reconfiguration the runtime alone.
 * `Miniflare#setOptions()` poisons every binding stub handed out before it, so no call may be in
 * flight while it runs, and no call may start until fresh stubs can be fetched.
 */
export class ReconfigureGate {
  #runningShared = 0;
  #exclusive: Promise<void> | undefined;
  #onDrained: (() => void) | undefined;

  async shared<T>(task: () => Promise<T>): Promise<T> {
    await this.#waitForExclusive();
    this.#runningShared += 1;
    try {
      return await task();
    } finally {
      this.#runningShared -= 1;
      if (this.#runningShared === 0) {
        this.#onDrained?.();
      }
    }
  }

  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.#waitForExclusive();
    // Set synchronously after the wait, so a second exclusive task queues behind this one.
    const run = this.#waitForDrain().then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#exclusive = settled;
    void settled.then(() => {
      if (this.#exclusive === settled) {
        this.#exclusive = undefined;
      }
    });
    return run;
  }

  async #waitForExclusive(): Promise<void> {
    while (this.#exclusive !== undefined) {
      await this.#exclusive;
    }
  }

  #waitForDrain(): Promise<void> {
    if (this.#runningShared === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#onDrained = () => {
        this.#onDrained = undefined;
        resolve();
      };
    });
  }
}
