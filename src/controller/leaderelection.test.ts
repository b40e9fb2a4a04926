import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiServer } from '../apiserver/server.js';
import { KubeClient, ApiError } from '../client/client.js';
import { FakeClock, flush } from '../util/clock.js';
import { LeaderElector, type LeaderElectionConfig } from './leaderelection.js';

/**
 * Time is a FakeClock; the API server is real (in-process, memory storage), so each step lets
 * the electors' HTTP requests finish before time moves on.
 */
let server: ApiServer;
let client: KubeClient;
before(async () => {
  server = await new ApiServer({ storage: 'memory', tls: false, authenticator: null, writeKubeconfig: false, garbageCollector: false }).start();
  client = new KubeClient({ server: server.url });
});
after(async () => {
  await client.close();
  await server.stop();
});

const LEASE = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
let leases = 0;

interface Candidate {
  e: LeaderElector;
  stop: AbortController;
  done: Promise<void>;
  /** [start, end) of each leading interval, on the fake clock. */
  terms: { from: number; to?: number }[];
  /** Makes every request fail, as a network partition would. */
  cut: boolean;
}

function harness() {
  const clock = new FakeClock(1_700_000_000_000);
  const name = `lease-${++leases}`;
  const all: Candidate[] = [];
  const candidate = (id: string, extra: Partial<LeaderElectionConfig> = {}): Candidate => {
    const c = { stop: new AbortController(), terms: [], cut: false } as unknown as Candidate;
    const flaky = {
      request: (...a: Parameters<KubeClient['request']>) => (c.cut ? Promise.reject(new ApiError(0, 'ConnectionError', 'partitioned')) : client.request(...a)),
    };
    c.e = new LeaderElector({
      client: flaky,
      namespace: 'kube-system',
      name,
      identity: id,
      clock,
      random: () => 0.5,
      ...LEASE,
      onStartedLeading: () => c.terms.push({ from: clock.now() }),
      onStoppedLeading: () => (c.terms[c.terms.length - 1]!.to = clock.now()),
      ...extra,
    });
    c.done = c.e.run(c.stop.signal);
    all.push(c);
    return c;
  };
  /** Wait (in real time) until no elector has a request in flight. */
  const quiet = async () => {
    for (let i = 0; i < 2000; i++) {
      await flush();
      if (all.every((c) => !c.e.busy)) {
        await new Promise((r) => setTimeout(r, 2));
        await flush();
        if (all.every((c) => !c.e.busy)) return;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    throw new Error('electors never went quiet');
  };
  /** Moves fake time forward by ms, timer by timer, letting requests complete in between. */
  const advance = async (ms: number) => {
    const target = clock.now() + ms;
    for (;;) {
      await quiet();
      const next = clock.nextTimerAt();
      if (next === undefined || next > target) break;
      clock.setTime(next);
    }
    clock.setTime(target);
    await quiet();
  };
  const lease = () => client.get({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true }, name, 'kube-system');
  const leaders = () => all.filter((c) => c.e.isLeader());
  const shutdown = async () => {
    for (const c of all) c.stop.abort();
    await advance(0);
    await Promise.all(all.map((c) => c.done));
  };
  return { clock, name, candidate, advance, lease, leaders, shutdown, all };
}

/** No instant at which two candidates were both leading. */
function assertNoOverlap(cands: Candidate[]) {
  const terms = cands.flatMap((c) => c.terms.map((t) => ({ ...t, who: c.e.identity })));
  for (const a of terms)
    for (const b of terms) {
      if (a === b) continue;
      const overlap = a.from < (b.to ?? Infinity) && b.from < (a.to ?? Infinity);
      assert.ok(!overlap, `${a.who} [${a.from}, ${a.to}) overlaps ${b.who} [${b.from}, ${b.to})`);
    }
}

describe('LeaderElector', () => {
  it('acquires a free lease, records itself as holder, and renews every retry period', async () => {
    const h = harness();
    const a = h.candidate('a');
    await h.advance(0);
    assert.equal(a.e.isLeader(), true);
    const first = await h.lease();
    assert.equal(first.spec.holderIdentity, 'a');
    assert.equal(first.spec.leaseDurationSeconds, 15);
    assert.equal(first.spec.leaseTransitions, 0);
    assert.match(first.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    await h.advance(2_000);
    const second = await h.lease();
    assert.equal(Date.parse(second.spec.renewTime) - Date.parse(first.spec.renewTime), 2_000);
    assert.equal(second.spec.acquireTime, first.spec.acquireTime);
    assert.notEqual(second.metadata.resourceVersion, first.metadata.resourceVersion);
    await h.shutdown();
  });

  it('a second candidate waits while the lease is renewed, and takes over only a lease duration after the last renewal it saw', async () => {
    const h = harness();
    const a = h.candidate('a');
    await h.advance(0);
    const b = h.candidate('b');
    await h.advance(60_000);
    assert.deepEqual(h.leaders().map((c) => c.e.identity), ['a']);
    assert.equal(b.e.observedLeader, 'a');
    // a dies without a word (kill -9): no more renewals.
    a.cut = true;
    const lastRenew = Date.parse((await h.lease()).spec.renewTime);
    await h.advance(14_000);
    assert.equal(b.e.isLeader(), false, 'the lease is still valid');
    await h.advance(20_000);
    assert.equal(b.e.isLeader(), true);
    const l = await h.lease();
    assert.equal(l.spec.holderIdentity, 'b');
    assert.equal(l.spec.leaseTransitions, 1);
    const took = b.terms[0]!.from - lastRenew;
    // b saw the last renewal up to one (jittered) retry period late, then waited a lease duration.
    assert.ok(took >= 15_000 && took <= 15_000 + 2 * 2_000 * 2.2, `took over ${took} ms after the last renewal`);
    assertNoOverlap(h.all);
    await h.shutdown();
  });

  it('a leader that cannot renew stops before its lease could expire for anyone else', async () => {
    const h = harness();
    const a = h.candidate('a');
    await h.advance(0);
    const b = h.candidate('b');
    await h.advance(10_000);
    a.cut = true; // a partition: a is alive but cannot reach the API server
    await h.advance(40_000);
    assert.equal(a.e.isLeader(), false);
    assert.equal(b.e.isLeader(), true);
    const aEnd = a.terms[0]!.to!;
    const bStart = b.terms[0]!.from;
    assert.ok(bStart - aEnd >= 15_000 - 10_000, `a stopped at ${aEnd}, b started at ${bStart}`);
    assertNoOverlap(h.all);
    await a.done; // run() returns once leadership is lost
    await h.shutdown();
  });

  it('a leader that finds the lease taken stops at once', async () => {
    const h = harness();
    const a = h.candidate('a');
    await h.advance(0);
    let stoppedAt = 0;
    const l = await h.lease();
    // Someone (an operator, a faster candidate) writes another holder into the lease.
    await client.update({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true }, { ...l, spec: { ...l.spec, holderIdentity: 'intruder' } });
    const renewAt = h.clock.now() + 2_000;
    await h.advance(2_000);
    stoppedAt = a.terms[0]!.to!;
    assert.equal(a.e.isLeader(), false);
    assert.equal(stoppedAt, renewAt);
    await h.shutdown();
  });

  it('releases the lease on shutdown so a successor takes over within a retry period', async () => {
    const h = harness();
    const a = h.candidate('a', { releaseOnCancel: true });
    await h.advance(0);
    const b = h.candidate('b');
    await h.advance(5_000);
    a.stop.abort();
    await h.advance(0);
    await a.done;
    assert.equal((await h.lease()).spec.holderIdentity, '');
    await h.advance(2_000 * 2.2);
    assert.equal(b.e.isLeader(), true);
    assertNoOverlap(h.all);
    await h.shutdown();
  });

  it('candidates racing for a free lease: optimistic concurrency lets exactly one win', async () => {
    const h = harness();
    const cands = Array.from({ length: 5 }, (_, i) => h.candidate(`c${i}`));
    await h.advance(0);
    assert.equal(h.leaders().length, 1);
    await h.advance(30_000);
    assert.equal(h.leaders().length, 1);
    assertNoOverlap(cands);
    assert.equal((await h.lease()).spec.holderIdentity, h.leaders()[0]!.e.identity);
    await h.shutdown();
  });

  it('rejects timings that would allow two leaders', () => {
    const base = { client, namespace: 'x', name: 'y', onStartedLeading() {}, onStoppedLeading() {} };
    assert.throws(() => new LeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /leaseDuration/);
    assert.throws(() => new LeaderElector({ ...base, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }), /renewDeadline/);
    const e = new LeaderElector(base);
    assert.match(e.identity, /_[0-9a-f-]{36}$/);
    assert.equal(e.leaseDurationMs, 15_000);
    assert.equal(e.renewDeadlineMs, 10_000);
    assert.equal(e.retryPeriodMs, 2_000);
  });
});
