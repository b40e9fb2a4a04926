/**
 * Periodic storage compaction, as kube-apiserver does for etcd: each tick compacts to the
 * revision seen at the previous tick, so at least one interval of history is always kept
 * (continue tokens and watch resumption within it keep working; older ones get 410 Expired).
 */
import type { Logger } from 'pino';
import type { Store } from '../storage/store.js';

export class Compactor {
  #timer: NodeJS.Timeout | null = null;
  #last = 0;

  constructor(
    readonly store: Store,
    readonly intervalMs: number,
    readonly log: Logger,
  ) {
    if (intervalMs > 0) {
      this.#timer = setInterval(() => void this.tick(), intervalMs);
      this.#timer.unref();
    }
  }

  async tick(): Promise<void> {
    try {
      const current = await this.store.currentRevision();
      if (this.#last > this.store.compactedRevision()) {
        await this.store.compact(this.#last);
        this.log.debug({ revision: this.#last }, 'compacted storage');
      }
      this.#last = current;
    } catch (err) {
      this.log.warn({ err }, 'compaction failed');
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}
