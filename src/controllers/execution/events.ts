/**
 * core/v1 Events on the control plane, as client-go's recorder writes them, with its
 * correlation kept simple: the same (object, type, reason, message) within `dedupeMs` is not
 * written again, and after that it bumps the existing Event's count instead of adding one. A
 * failing step retried with backoff therefore leaves one Event with a count, not a flood.
 * Recording never throws and never blocks the caller.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { isAlreadyExists, isNotFound, type KubeClient } from '../../client/client.js';
import { R } from '../../client/resources.js';
import type { Clock } from '../../util/clock.js';

export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}

export type EventType = 'Normal' | 'Warning';

export const COMPONENT = 'flotilla-controller-manager';
const MAX_MESSAGE = 1024;
const MAX_REMEMBERED = 4096;

const micro = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class EventRecorder {
  readonly #seen = new Map<string, { name: string; namespace: string; count: number; at: number }>();

  constructor(
    readonly client: KubeClient,
    readonly clock: Clock,
    readonly log?: Logger,
    readonly dedupeMs = 30_000,
  ) {}

  /** Records an Event on obj (fire and forget). */
  event(obj: InvolvedObject, type: EventType, reason: string, message: string): void {
    void this.#record(obj, type, reason, message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE - 3) + '...' : message).catch((err) =>
      this.log?.debug({ err, kind: obj.kind, name: obj.name, reason }, 'recording event failed'),
    );
  }

  async #record(obj: InvolvedObject, type: EventType, reason: string, message: string): Promise<void> {
    const namespace = obj.namespace || 'default';
    const key = JSON.stringify([obj.apiVersion, obj.kind, namespace, obj.name, type, reason, message]);
    const now = this.clock.now();
    const prev = this.#seen.get(key);
    if (prev && now - prev.at < this.dedupeMs) return;
    if (prev) {
      prev.count++;
      prev.at = now;
      try {
        await this.client.patch(R.events, prev.name, { count: prev.count, lastTimestamp: rfc3339(now) }, 'merge', { namespace: prev.namespace });
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e; // expired: write it anew
      }
    }
    const name = `${obj.name}.${createHash('sha1').update(key).digest('hex').slice(0, 16)}`;
    this.#remember(key, { name, namespace, count: 1, at: now });
    const ev = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.name, ...(obj.namespace ? { namespace: obj.namespace } : {}), ...(obj.uid ? { uid: obj.uid } : {}) },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: rfc3339(now),
      lastTimestamp: rfc3339(now),
      eventTime: micro(now),
      source: { component: COMPONENT },
      reportingComponent: COMPONENT,
      reportingInstance: COMPONENT,
      action: reason,
    };
    try {
      await this.client.create(R.events, ev, { namespace });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      await this.client.patch(R.events, name, { lastTimestamp: rfc3339(now) }, 'merge', { namespace });
    }
  }

  #remember(key: string, v: { name: string; namespace: string; count: number; at: number }): void {
    if (this.#seen.size >= MAX_REMEMBERED) this.#seen.delete(this.#seen.keys().next().value!);
    this.#seen.set(key, v);
  }
}

const shared = new WeakMap<KubeClient, EventRecorder>();

/** One recorder per control-plane client, so every controller shares the correlation. */
export function sharedEventRecorder(ctx: { client: KubeClient; clock: Clock; log: Logger }): EventRecorder {
  let r = shared.get(ctx.client);
  if (!r) shared.set(ctx.client, (r = new EventRecorder(ctx.client, ctx.clock, ctx.log.child({ component: 'events' }))));
  return r;
}
