/**
 * Shared informers: one list+watch per resource (and namespace/selector), however many
 * controllers read it. Controllers register handlers, then wait for sync before acting.
 */
import type { Logger } from 'pino';
import type { KubeClient, ResourceRef } from './client.js';
import { Informer, type InformerOptions } from './informer.js';
import type { Clock } from '../util/clock.js';

export class InformerFactory {
  readonly #informers = new Map<string, Informer>();
  #started = false;
  #signal?: AbortSignal;

  constructor(
    readonly client: KubeClient,
    readonly defaults: { clock?: Clock; log?: Logger } = {},
  ) {}

  /** The shared informer for a resource; started at once if the factory already runs. */
  for<T extends object = any>(ref: ResourceRef, opts: Omit<InformerOptions, 'clock' | 'log'> = {}): Informer<T & any> {
    const key = `${ref.group}/${ref.version}/${ref.resource}?${opts.namespace ?? ''}&${opts.labelSelector ?? ''}&${opts.fieldSelector ?? ''}`;
    let inf = this.#informers.get(key);
    if (!inf) {
      inf = new Informer(this.client, ref, { ...opts, ...this.defaults });
      this.#informers.set(key, inf);
      if (this.#started) inf.start(this.#signal);
    }
    return inf;
  }

  start(signal?: AbortSignal): void {
    if (this.#started) return; // idempotent: several components may share (and start) one factory
    this.#started = true;
    this.#signal = signal;
    for (const inf of this.#informers.values()) inf.start(signal);
  }

  async synced(): Promise<void> {
    await Promise.all([...this.#informers.values()].map((i) => i.synced()));
  }

  stop(): void {
    for (const inf of this.#informers.values()) inf.stop();
  }
}
