interface Waiter {
  exclusive: boolean;
  start: () => void;
}

/**
 * Lets many KV calls run together but gives a Miniflare reconfiguration the runtime alone.
 * `Miniflare#setOptions()` poisons every binding stub handed out before it, so no call may be in
 * flight while it runs, and no call may start until fresh stubs can be fetched.
 *
 * A readers-writer lock with one first-in, first-out queue: a waiting exclusive task holds back
 * every task queued after it, and a task takes its place in the running state in the same
 * synchronous step that wakes it, so two exclusive tasks never run at once.
 */
export class ReconfigureGate {
  #runningShared = 0;
  #runningExclusive = false;
  readonly #queue: Waiter[] = [];

  async shared<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire(false);
    try {
      return await task();
    } finally {
      this.#release(false);
    }
  }

  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire(true);
    try {
      return await task();
    } finally {
      this.#release(true);
    }
  }

  #acquire(exclusive: boolean): Promise<void> {
    if (this.#queue.length === 0 && this.#canStart(exclusive)) {
      this.#enter(exclusive);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#queue.push({ exclusive, start: resolve });
    });
  }

  #release(exclusive: boolean): void {
    if (exclusive) {
      this.#runningExclusive = false;
    } else {
      this.#runningShared -= 1;
    }
    this.#startWaiters();
  }

  #startWaiters(): void {
    let next = this.#queue[0];
    while (next !== undefined && this.#canStart(next.exclusive)) {
      this.#queue.shift();
      this.#enter(next.exclusive);
      next.start();
      next = this.#queue[0];
    }
  }

  #canStart(exclusive: boolean): boolean {
    if (this.#runningExclusive) return false;
    return !exclusive || this.#runningShared === 0;
  }

  #enter(exclusive: boolean): void {
    if (exclusive) {
      this.#runningExclusive = true;
    } else {
      this.#runningShared += 1;
    }
  }
}
