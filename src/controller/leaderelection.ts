/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics: candidates
 * try every retryPeriod (jittered) to take a lease that is free or expired; the leader renews
 * it every retryPeriod; optimistic concurrency on the Lease's resourceVersion decides races.
 *
 * Expiry is judged by the candidate's own clock from when it last saw the lease change (not
 * from renewTime, which another machine's clock wrote), so clock offsets between machines do
 * not matter, only their rates.
 *
 * Never two leaders: a leader whose renewals keep failing stops acting (its signal aborts and
 * onStoppedLeading runs) renewDeadline after it sent its last successful renewal. Any other
 * candidate saw that renewal no earlier than it was sent and waits a full leaseDuration
 * (> renewDeadline) after seeing it, so the old leader has stopped before anyone can take over.
 * A leader that finds the lease held by someone else stops at once.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { KubeClient } from '../client/client.js';
import { ApiError } from '../client/client.js';
import { realClock, type Clock, type TimerHandle } from '../util/clock.js';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface LeaderElectionConfig {
  /** Only request() is used, so tests can wrap a client to make it fail. */
  client: Pick<KubeClient, 'request'>;
  namespace: string;
  name: string;
  /** Unique per process (default hostname_uuid). */
  identity?: string;
  /** How long a lease holds without renewal, as seen by the others (default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading (default 10 s). */
  renewDeadlineMs?: number;
  /** Pause between attempts to acquire or renew (default 2 s). */
  retryPeriodMs?: number;
  /** Give the lease up when run()'s signal aborts, so a successor need not wait for expiry. */
  releaseOnCancel?: boolean;
  clock?: Clock;
  log?: Logger;
  /** Jitter source for acquire attempts (default Math.random). */
  random?: () => number;
  /** Leadership starts; signal aborts the moment it is lost. */
  onStartedLeading(signal: AbortSignal): void;
  /** Leadership ended (also when run()'s signal aborted while leading). */
  onStoppedLeading(): void;
  /** The lease's holder as last observed changed (identity '' when free). */
  onNewLeader?(identity: string): void;
}

/** client-go's wait.JitterUntil factor for acquire attempts. */
const JITTER = 1.2;

export class LeaderElector {
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly #c: LeaderElectionConfig;
  readonly #clock: Clock;
  readonly #path: string;
  /** The lease as last seen, and when (our clock) its spec last changed. */
  #observed: { raw: string; spec: LeaseSpec; resourceVersion: string; at: number } | undefined;
  #leading: AbortController | null = null;
  #watchdog: TimerHandle | undefined;
  #reportedLeader: string | undefined;
  #inFlight = 0;

  constructor(c: LeaderElectionConfig) {
    this.#c = c;
    this.#clock = c.clock ?? realClock;
    this.identity = c.identity ?? `${hostname()}_${randomUUID()}`;
    this.leaseDurationMs = c.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = c.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = c.retryPeriodMs ?? 2_000;
    // client-go's checks: without them the safety argument above does not hold.
    if (!(this.leaseDurationMs > this.renewDeadlineMs)) throw new Error('leader election: leaseDuration must be greater than renewDeadline');
    if (!(this.renewDeadlineMs > JITTER * this.retryPeriodMs)) throw new Error(`leader election: renewDeadline must be greater than retryPeriod*${JITTER}`);
    if (!(this.retryPeriodMs > 0)) throw new Error('leader election: retryPeriod must be positive');
    if (!this.identity) throw new Error('leader election: identity must not be empty');
    this.#path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(c.namespace)}/leases/${encodeURIComponent(c.name)}`;
  }

  isLeader(): boolean {
    return this.#leading !== null;
  }

  /** True while a request to the API server is in flight (tests wait for quiet). */
  get busy(): boolean {
    return this.#inFlight > 0;
  }

  /** The holder as last observed ('' when free, undefined before the first look). */
  get observedLeader(): string | undefined {
    return this.#observed?.spec.holderIdentity;
  }

  /**
   * Campaigns until leading, then renews until leadership is lost or signal aborts. Resolves
   * after onStoppedLeading ran (or at once if signal aborts before leading).
   */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !(await this.#tryAcquireOrRenew(signal))) {
      const wait = this.retryPeriodMs * (1 + (this.#c.random ?? Math.random)() * JITTER);
      await this.#clock.sleep(wait, signal).catch(() => undefined);
    }
    if (signal.aborted) return;
    const leading = this.#leading!;
    while (!leading.signal.aborted && !signal.aborted) {
      await this.#clock.sleep(this.retryPeriodMs, AbortSignal.any([signal, leading.signal])).catch(() => undefined);
      if (leading.signal.aborted || signal.aborted) break;
      await this.#tryAcquireOrRenew(leading.signal);
    }
    if (!leading.signal.aborted) {
      this.#stopLeading('shutting down');
      if (this.#c.releaseOnCancel) await this.#release();
    }
  }

  /** One attempt (client-go's tryAcquireOrRenew). Renewal success re-arms the watchdog. */
  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.#clock.now();
    const wanted = (prev?: LeaseSpec): LeaseSpec => {
      const mine = prev?.holderIdentity === this.identity;
      return {
        holderIdentity: this.identity,
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        acquireTime: mine && prev?.acquireTime ? prev.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: prev ? (prev.leaseTransitions ?? 0) + (mine ? 0 : 1) : 0,
      };
    };
    try {
      let lease: any;
      try {
        lease = await this.#call('GET', undefined, signal);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
        const created = await this.#call('POST', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.#c.name, namespace: this.#c.namespace }, spec: wanted() }, signal);
        return this.#succeeded(created, now, signal);
      }
      const spec: LeaseSpec = lease.spec ?? {};
      this.#observe(lease, now);
      const holder = spec.holderIdentity ?? '';
      const valid = this.#observed!.at + (spec.leaseDurationSeconds ?? 0) * 1000 > now;
      if (holder && holder !== this.identity && valid) {
        // Someone else leads. If that is news to a leader, its lease was lost: stop at once.
        if (this.#leading) this.#stopLeading(`the lease is held by ${holder}`);
        return false;
      }
      const updated = await this.#call('PUT', { ...lease, spec: { ...spec, ...wanted(spec) } }, signal);
      return this.#succeeded(updated, now, signal);
    } catch (e) {
      // Conflicts (another candidate won the race) and outages alike: try again next period.
      if (!signal.aborted) this.#c.log?.debug({ err: e, lease: this.#c.name }, 'leader election attempt failed');
      return false;
    }
  }

  #succeeded(lease: any, sentAt: number, signal: AbortSignal): boolean {
    // An answer that arrives after the attempt was abandoned (leadership already lost) counts for nothing.
    if (signal.aborted) return false;
    this.#observe(lease, sentAt);
    if (!this.#leading) {
      this.#leading = new AbortController();
      this.#arm(sentAt);
      this.#c.log?.info({ identity: this.identity, lease: `${this.#c.namespace}/${this.#c.name}` }, 'became leader');
      this.#c.onStartedLeading(this.#leading.signal);
    } else this.#arm(sentAt);
    return true;
  }

  /** Leadership lasts renewDeadline from when the last successful write was sent. */
  #arm(sentAt: number): void {
    if (this.#watchdog) this.#clock.clearTimeout(this.#watchdog);
    this.#watchdog = this.#clock.setTimeout(() => this.#stopLeading('failed to renew the lease within the renew deadline'), sentAt + this.renewDeadlineMs - this.#clock.now());
  }

  #stopLeading(reason: string): void {
    const leading = this.#leading;
    if (!leading) return;
    this.#leading = null;
    if (this.#watchdog) this.#clock.clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
    this.#c.log?.info({ identity: this.identity, reason }, 'stopped leading');
    leading.abort(new Error(`leadership lost: ${reason}`));
    this.#c.onStoppedLeading();
  }

  #observe(lease: any, now: number): void {
    const spec: LeaseSpec = lease.spec ?? {};
    const raw = JSON.stringify(spec);
    if (this.#observed?.raw !== raw) this.#observed = { raw, spec, resourceVersion: '', at: now };
    this.#observed!.resourceVersion = lease.metadata?.resourceVersion ?? '';
    const holder = spec.holderIdentity ?? '';
    if (holder !== this.#reportedLeader) {
      this.#reportedLeader = holder;
      this.#c.onNewLeader?.(holder);
    }
  }

  /** Hand the lease over: empty holder, so candidates need not wait for it to expire. */
  async #release(): Promise<void> {
    const o = this.#observed;
    if (!o || o.spec.holderIdentity !== this.identity) return;
    const now = microTime(this.#clock.now());
    const body = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.#c.name, namespace: this.#c.namespace, resourceVersion: o.resourceVersion },
      spec: { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: o.spec.leaseTransitions ?? 0 },
    };
    try {
      await this.#call('PUT', body, AbortSignal.timeout(this.renewDeadlineMs));
    } catch (e) {
      this.#c.log?.warn({ err: e }, 'could not release the lease; it expires on its own');
    }
  }

  /** One request, abandoned after renewDeadline (on the election's clock) or when signal aborts. */
  async #call(method: 'GET' | 'POST' | 'PUT', body: unknown, signal: AbortSignal): Promise<any> {
    const timeout = new AbortController();
    const timer = this.#clock.setTimeout(() => timeout.abort(new Error('leader election request timed out')), this.renewDeadlineMs);
    this.#inFlight++;
    try {
      const path = method === 'POST' ? this.#path.slice(0, this.#path.lastIndexOf('/')) : this.#path;
      return await this.#c.client.request(method, path, body, {}, AbortSignal.any([signal, timeout.signal]));
    } finally {
      this.#inFlight--;
      this.#clock.clearTimeout(timer);
    }
  }
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
