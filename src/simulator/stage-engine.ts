/**
 * Runs stages against live objects: on every informer event for an object, find the stage
 * that matches it and schedule that transition on the Clock; when the timer fires, re-check
 * against the latest object (level-based) and write the result through the API. The write's
 * own event then selects the next stage, so behaviour chains as data (Pending → Running →
 * Succeeded, deletionTimestamp → gone).
 */
import type { Logger } from 'pino';
import { isConflict, isNotFound, type KubeClient, type ResourceRef } from '../client/client.js';
import { keyOf, type Informer } from '../client/informer.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { matchStage, stageDelay, transition, type Stage, type StageResource } from './stages.js';
import { rfc3339, type TemplateContext } from './stage-template.js';

export interface StageEngineConfig {
  resource: StageResource;
  ref: ResourceRef;
  stages: readonly Stage[];
  client: KubeClient;
  informer: Informer;
  clock: Clock;
  log: Logger;
  /** Multiplies stage delays. Default 1. */
  timeScale?: number;
  /** Addresses and such for templates; only `now` is filled in when omitted. */
  context?: (obj: any) => Omit<TemplateContext, 'now'>;
  /** Objects for which nothing happens for now (a pod on a dead node); see resync(). */
  paused?: (obj: any) => boolean;
  random?: () => number;
  /** Transitions written at once (default 16); the rest wait their turn, so bursts do not time out. */
  maxInFlight?: number;
}

interface Pending {
  stage: string;
  uid: string;
  timer: TimerHandle;
}

export class StageEngine {
  readonly #c: StageEngineConfig;
  readonly #pending = new Map<string, Pending>();
  /** Keys with a write in flight, and whether an event came meanwhile. */
  readonly #busy = new Map<string, boolean>();
  #stopped = false;
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];
  /** Transitions applied, by stage name (for tests and benchmarks). */
  readonly applied = new Map<string, number>();

  constructor(config: StageEngineConfig) {
    this.#c = config;
  }

  start(): void {
    this.#c.informer.on({
      add: (o) => this.#consider(o),
      update: (_old, o) => this.#consider(o),
      delete: (o) => this.#cancel(keyOf(o)),
    });
  }

  stop(): void {
    this.#stopped = true;
    for (const p of this.#pending.values()) this.#c.clock.clearTimeout(p.timer);
    this.#pending.clear();
  }

  /** Looks again at every cached object that pred selects (e.g. pods of a node that came back). */
  resync(pred: (obj: any) => boolean = () => true): void {
    for (const o of this.#c.informer.list()) if (pred(o)) this.#consider(o);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  #cancel(key: string): void {
    const p = this.#pending.get(key);
    if (p) {
      this.#c.clock.clearTimeout(p.timer);
      this.#pending.delete(key);
    }
  }

  #consider(obj: any): void {
    if (this.#stopped) return;
    const key = keyOf(obj);
    if (this.#busy.has(key)) {
      this.#busy.set(key, true);
      return;
    }
    const stage = this.#c.paused?.(obj) ? undefined : matchStage(this.#c.stages, this.#c.resource, obj);
    const cur = this.#pending.get(key);
    const uid = obj.metadata?.uid ?? '';
    // The same stage already waiting keeps its timer: later events must not postpone it.
    if (stage && cur && cur.stage === stage.name && cur.uid === uid) return;
    this.#cancel(key);
    if (!stage) return;
    const delay = stageDelay(stage, obj, this.#c.clock.now(), this.#c.timeScale ?? 1, this.#c.random);
    const timer = this.#c.clock.setTimeout(() => void this.#fire(key, stage, uid), delay);
    this.#pending.set(key, { stage: stage.name, uid, timer });
  }

  async #fire(key: string, stage: Stage, uid: string): Promise<void> {
    this.#pending.delete(key);
    if (this.#stopped) return;
    if (!this.#c.informer.get(key)) return;
    this.#busy.set(key, false);
    await this.#slot();
    let obj = this.#c.informer.get(key);
    try {
      if (!obj || obj.metadata?.uid !== uid) return;
      for (let attempt = 0; attempt < 3; attempt++) {
        // Level-based: only act if the stage still applies to what is there now.
        const now = matchStage(this.#c.stages, this.#c.resource, obj);
        if (this.#c.paused?.(obj) || now?.name !== stage.name) break;
        try {
          await this.#apply(stage, obj);
          this.applied.set(stage.name, (this.applied.get(stage.name) ?? 0) + 1);
          break;
        } catch (e) {
          if (isNotFound(e) || this.#stopped) break;
          if (!isConflict(e)) throw e;
          obj = await this.#c.client.get(this.#c.ref, obj.metadata.name, obj.metadata.namespace);
          if (obj.metadata?.uid !== uid) break;
        }
      }
    } catch (e) {
      if (!this.#stopped) this.#c.log.warn({ err: e, stage: stage.name, key }, 'stage transition failed; retrying on the next event');
      // Retry later even if no event comes (the API may be refusing writes for a while).
      if (!this.#stopped) this.#c.clock.setTimeout(() => this.#retry(key), 1000 + (this.#c.random ?? Math.random)() * 1000);
    } finally {
      this.#release();
      const dirty = this.#busy.get(key);
      this.#busy.delete(key);
      if (dirty && !this.#stopped) {
        const latest = this.#c.informer.get(key);
        if (latest) this.#consider(latest);
      }
    }
  }

  #slot(): Promise<void> {
    if (this.#inFlight < (this.#c.maxInFlight ?? 16)) {
      this.#inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Hands the slot to the next waiting transition, if any. */
  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#inFlight--;
  }

  #retry(key: string): void {
    const o = this.#c.informer.get(key);
    if (o && !this.#pending.has(key)) this.#consider(o);
  }

  async #apply(stage: Stage, obj: any): Promise<void> {
    const { client, ref } = this.#c;
    const ctx: TemplateContext = { now: rfc3339(this.#c.clock.now()), ...(this.#c.context?.(obj) ?? {}) };
    const t = transition(stage, obj, ctx);
    const name = obj.metadata.name;
    const namespace = obj.metadata.namespace;
    let rv = obj.metadata.resourceVersion;
    if (t.status && JSON.stringify(t.status) !== JSON.stringify(obj.status ?? {})) {
      const updated = await client.update(ref, { ...obj, metadata: { ...obj.metadata, resourceVersion: rv }, status: t.status }, { subresource: 'status', fieldManager: 'flotilla-sim' });
      rv = updated?.metadata?.resourceVersion ?? rv;
    }
    if (t.finalizers) {
      await client.patch(ref, name, { metadata: { finalizers: t.finalizers, resourceVersion: rv } }, 'merge', { namespace, fieldManager: 'flotilla-sim' });
    }
    if (t.delete) {
      await client.delete(ref, name, { namespace, gracePeriodSeconds: 0, preconditions: { uid: obj.metadata.uid } });
    }
    this.#c.log.debug({ stage: stage.name, namespace, name }, 'stage applied');
  }
}
