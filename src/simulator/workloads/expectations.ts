/**
 * ControllerExpectations (pkg/controller/controller_utils.go): after a controller creates or
 * deletes pods it must not act again on its informer cache until the cache has seen those
 * writes, or it would create (or delete) the same pods twice. Creations are counted, deletions
 * are tracked by pod key; informer handlers report what they observe. Expectations older
 * than the TTL are treated as met, so a lost watch event cannot wedge a controller.
 */
import type { Clock } from '../../util/clock.js';

/** Five minutes, as ExpectationsTimeout. */
export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Expectation {
  adds: number;
  dels: Set<string>;
  at: number;
}

export class Expectations {
  readonly #items = new Map<string, Expectation>();

  constructor(
    readonly clock: Clock,
    readonly ttlMs = EXPECTATIONS_TTL_MS,
  ) {}

  /** Whether the controller may act on key: nothing outstanding, or outstanding too long. */
  satisfied(key: string): boolean {
    const e = this.#items.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.dels.size === 0) return true;
    return this.clock.now() - e.at > this.ttlMs;
  }

  /** Records creations and deletions (by object key) about to be made, replacing what was expected before. */
  expect(key: string, adds: number, delKeys: readonly string[] = []): void {
    this.#items.set(key, { adds, dels: new Set(delKeys), at: this.clock.now() });
  }

  expectCreations(key: string, n: number): void {
    this.expect(key, n);
  }

  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.expect(key, 0, podKeys);
  }

  /** An object the controller created was observed (or its create failed). */
  creationObserved(key: string): void {
    const e = this.#items.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  /** An object the controller deleted was observed deleted or terminating (or its delete failed). */
  deletionObserved(key: string, podKey: string): void {
    this.#items.get(key)?.dels.delete(podKey);
  }

  /** Forgets key (its owner is gone). */
  delete(key: string): void {
    this.#items.delete(key);
  }
}
