/**
 * core/v1 Events on the objects the controllers act for (templates, bindings), as client-go's
 * recorder writes them. The same event repeated within a minute is written once: reconciles
 * retry, and a failing step must not flood the event list.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { KubeClient } from '../../client/client.js';
import { R } from '../../client/resources.js';
import type { Clock } from '../../util/clock.js';

export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
}

export type EventType = 'Normal' | 'Warning';

const DEDUPE_MS = 60_000;
const MAX_REMEMBERED = 2_000;

export class EventRecorder {
  readonly #recent = new Map<string, number>();

  constructor(
    readonly client: KubeClient,
    readonly component: string,
    readonly clock: Clock,
    readonly log?: Logger,
  ) {}

  /** Writes the event in the background; failures are logged, never thrown. */
  event(obj: InvolvedObject, type: EventType, reason: string, message: string): void {
    const now = this.clock.now();
    const id = `${obj.uid ?? `${obj.kind}/${obj.namespace}/${obj.name}`}|${type}|${reason}|${message}`;
    const last = this.#recent.get(id);
    if (last !== undefined && now - last < DEDUPE_MS) return;
    this.#recent.delete(id);
    this.#recent.set(id, now);
    if (this.#recent.size > MAX_REMEMBERED) this.#recent.delete(this.#recent.keys().next().value!);
    const ts = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const namespace = obj.namespace || 'default';
    const body = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${obj.name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.name, namespace: obj.namespace, uid: obj.uid },
      type,
      reason,
      message: message.length > 1024 ? `${message.slice(0, 1021)}...` : message,
      source: { component: this.component },
      reportingComponent: this.component,
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
    };
    void this.client.create(R.events, body, { namespace }).catch((err) => this.log?.debug({ err, reason }, 'failed to record event'));
  }
}

/** The involved-object fields of a Kubernetes object. */
export function involvedOf(o: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; uid?: string } }): InvolvedObject {
  return { apiVersion: o.apiVersion ?? '', kind: o.kind ?? '', name: o.metadata?.name ?? '', namespace: o.metadata?.namespace, uid: o.metadata?.uid };
}
