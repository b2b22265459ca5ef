import { createSeededRandom } from './seeded-random.js';

/** HTTP statuses a fault can respond with. */
export type FaultStatus = 429 | 500 | 502 | 503;

/**
 * A failure the server injects into matching requests. With neither `rate` nor `nth`, every
 * matching request is hit until `times` runs out.
 */
export interface FaultSpec {
  /** Status sent with Cloudflare's error envelope (429 uses code 971, 5xx code 10002). */
  status?: FaultStatus;
  /** Value of the `Retry-After` header sent with `status`, in seconds. Default: no header. */
  retryAfterSeconds?: number;
  /** Delay before responding, in milliseconds. Alone, the request is then served normally. */
  delayMs?: number;
  /** Destroy the socket instead of responding, so the client sees a reset connection. */
  dropConnection?: boolean;
  /** Probability from 0 to 1 that a matching request is hit, drawn from a seeded generator. */
  rate?: number;
  /** Seed of the generator behind `rate`. Default: 1, so a run with the same requests repeats. */
  seed?: number;
  /** Hit from the Nth matching request on (1-based, counted from when the fault was added). */
  nth?: number;
  /** How many requests the fault hits at most. Default: 1 with `nth`, otherwise unlimited. */
  times?: number;
  /** Only requests with this HTTP method (case-insensitive). Default: every method. */
  method?: string;
  /** Only requests whose raw path and query (as sent, still percent-encoded) match. */
  path?: RegExp;
  /**
   * Serve the request first and replace its response with the fault, so a write is stored but the
   * client sees a failure or a dropped connection. Default: false (the request is not served).
   */
  afterHandling?: boolean;
}

/** A fault that is active on the server. */
export interface InjectedFault {
  readonly spec: Readonly<FaultSpec>;
  /** Number of requests this fault has hit so far. */
  readonly hits: number;
  remove(): void;
}

/** Faults that apply to requests, decided in the order they were added (first match wins). */
export interface FaultControl {
  add(spec: FaultSpec): InjectedFault;
  clear(): void;
}

class ActiveFault implements InjectedFault {
  readonly spec: Readonly<FaultSpec>;
  hits = 0;
  #matched = 0;
  readonly #random: () => number;
  readonly #maxHits: number;
  readonly #owner: FaultInjector;

  constructor(spec: FaultSpec, owner: FaultInjector) {
    this.spec = { ...spec };
    this.#owner = owner;
    this.#random = createSeededRandom(spec.seed ?? 1);
    this.#maxHits = spec.times ?? (spec.nth === undefined ? Infinity : 1);
  }

  /** Counts a request against the fault and returns whether the fault hits it. */
  tryHit(method: string, rawPath: string): boolean {
    if (this.hits >= this.#maxHits || !this.#matches(method, rawPath)) {
      return false;
    }
    this.#matched += 1;
    if (this.spec.nth !== undefined && this.#matched < this.spec.nth) {
      return false;
    }
    if (this.spec.rate !== undefined && this.#random() >= this.spec.rate) {
      return false;
    }
    this.hits += 1;
    return true;
  }

  remove(): void {
    this.#owner.remove(this);
  }

  #matches(method: string, rawPath: string): boolean {
    if (this.spec.method !== undefined && this.spec.method.toUpperCase() !== method) {
      return false;
    }
    if (this.spec.path !== undefined) {
      this.spec.path.lastIndex = 0;
      return this.spec.path.test(rawPath);
    }
    return true;
  }
}

export class FaultInjector implements FaultControl {
  #faults: ActiveFault[] = [];

  add(spec: FaultSpec): InjectedFault {
    assertFaultSpec(spec);
    const fault = new ActiveFault(spec, this);
    this.#faults.push(fault);
    return fault;
  }

  clear(): void {
    this.#faults = [];
  }

  remove(fault: InjectedFault): void {
    this.#faults = this.#faults.filter((candidate) => candidate !== fault);
  }

  /** Returns the first fault that hits this request; faults before it still count the request. */
  select(method: string, rawPath: string): Readonly<FaultSpec> | undefined {
    for (const fault of this.#faults) {
      if (fault.tryHit(method, rawPath)) {
        return fault.spec;
      }
    }
    return undefined;
  }
}

function assertFaultSpec(spec: FaultSpec): void {
  if (spec.rate !== undefined && !(spec.rate >= 0 && spec.rate <= 1)) {
    throw new RangeError(`Fault rate must be from 0 to 1, got ${spec.rate}.`);
  }
  if (spec.nth !== undefined && !(Number.isInteger(spec.nth) && spec.nth >= 1)) {
    throw new RangeError(`Fault nth must be an integer of at least 1, got ${spec.nth}.`);
  }
  if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times >= 1)) {
    throw new RangeError(`Fault times must be an integer of at least 1, got ${spec.times}.`);
  }
  const hasEffect =
    spec.status !== undefined || spec.dropConnection === true || spec.delayMs !== undefined;
  if (!hasEffect) {
    throw new RangeError('A fault needs a status, dropConnection or delayMs.');
  }
}
