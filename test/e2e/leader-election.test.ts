/**
 * Several `flotilla controllers` processes against one `flotilla apiserver` (SQLite): exactly
 * one leads (the Lease holder), a kill -9 of the leader hands over within the lease duration
 * (plus the retry period candidates poll at), a SIGTERM hands over at once (the Lease is
 * released), and the leading intervals each process prints never overlap.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { flotilla, startApiServer, waitFor, type Proc, type TestServer } from './harness.js';

const LEASE_MS = 3000;
const RETRY_MS = 500;
const flags = ['--leader-elect-lease-duration', '3s', '--leader-elect-renew-deadline', '2s', '--leader-elect-retry-period', '500ms'];

interface Member {
  proc: Proc;
  identity: string;
  /** Leading intervals from the process's own output (ms since epoch); `to` undefined while leading. */
  terms(): { from: number; to?: number }[];
  leading(): boolean;
}

function member(s: TestServer): Member {
  const proc = flotilla(['controllers', '--kubeconfig', s.kubeconfig, ...flags]);
  const m: Member = {
    proc,
    identity: '',
    terms() {
      const out: { from: number; to?: number }[] = [];
      for (const line of proc.stdout.split('\n')) {
        const start = /^flotilla controllers leading identity=\S+ at=(\S+)/.exec(line);
        const stop = /^flotilla controllers stopped leading identity=\S+ at=(\S+)/.exec(line);
        if (start) out.push({ from: Date.parse(start[1]!) });
        if (stop) out[out.length - 1]!.to = Date.parse(stop[1]!);
      }
      return out;
    },
    leading() {
      const t = m.terms();
      return t.length > 0 && t[t.length - 1]!.to === undefined && proc.child.exitCode === null && proc.child.signalCode === null;
    },
  };
  return m;
}

async function identityOf(m: Member): Promise<string> {
  return waitFor('the candidate to start campaigning', () => /waiting for leadership identity=(\S+)/.exec(m.proc.stdout)?.[1], 60_000);
}

describe('controller manager leader election (SQLite)', { timeout: 240_000 }, () => {
  let server: TestServer;
  const members: Member[] = [];
  before(async () => {
    server = await startApiServer();
  });
  after(async () => {
    for (const m of members) if (m.proc.child.exitCode === null && m.proc.child.signalCode === null) m.proc.child.kill('SIGKILL');
    await Promise.all(members.map((m) => m.proc.exited));
    await server?.cleanup();
  });

  const lease = async () => JSON.parse(await server.k(['-n', 'karmada-system', 'get', 'lease', 'flotilla-controller-manager', '-o', 'json']));

  it('one leads; kill -9 hands over within the lease duration; SIGTERM hands over at once; no overlap', async () => {
    const [a, b] = [member(server), member(server)];
    members.push(a, b);
    a.identity = await identityOf(a);
    b.identity = await identityOf(b);
    const first = await waitFor('a leader', () => members.find((m) => m.leading()), 60_000);
    const standby = first === a ? b : a;
    assert.equal((await lease()).spec.holderIdentity, first.identity);
    // The standby stays a standby while the leader renews.
    await new Promise((r) => setTimeout(r, 2 * LEASE_MS));
    assert.equal(standby.leading(), false);
    assert.equal(first.leading(), true);
    assert.match(standby.proc.stdout, new RegExp(`leader identity=${first.identity}`));
    const l = await lease();
    assert.equal(l.spec.holderIdentity, first.identity);
    assert.equal(l.spec.leaseDurationSeconds, 3);

    first.proc.child.kill('SIGKILL');
    await first.proc.exited;
    const killedAt = Date.now();
    await waitFor('the standby to take over', () => standby.leading(), 30_000, 20);
    const tookMs = standby.terms()[0]!.from - killedAt;
    console.log(`# takeover ${tookMs} ms after kill -9 (lease ${LEASE_MS} ms, retry ${RETRY_MS} ms)`);
    // The last renewal was at most one retry period before the kill and the standby polls every
    // retry period (jittered up to 2.2x): lease duration plus those is the client-go bound.
    assert.ok(tookMs <= LEASE_MS + 2 * RETRY_MS * 2.2 + 500, `took ${tookMs} ms`);
    assert.ok(tookMs > 0);
    assert.equal((await lease()).spec.holderIdentity, standby.identity);
    assert.equal((await lease()).spec.leaseTransitions, 1);

    // A graceful stop releases the Lease: a new standby takes over within a retry period or two.
    const c = member(server);
    members.push(c);
    c.identity = await identityOf(c);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(c.leading(), false);
    standby.proc.child.kill('SIGTERM');
    assert.equal(await standby.proc.exited, 0);
    const stoppedAt = standby.terms()[0]!.to!;
    assert.ok(stoppedAt, `no stop line: ${standby.proc.stdout}`);
    await waitFor('the new standby to take over', () => c.leading(), 30_000, 20);
    assert.ok(c.terms()[0]!.from - stoppedAt <= 2 * RETRY_MS * 2.2 + 500, `took ${c.terms()[0]!.from - stoppedAt} ms after release`);

    // The leading intervals never overlap: the killed leader's ends no later than its death.
    const intervals = [
      { who: 'first', from: first.terms()[0]!.from, to: first.terms()[0]!.to ?? killedAt },
      { who: 'second', from: standby.terms()[0]!.from, to: stoppedAt },
      { who: 'third', from: c.terms()[0]!.from, to: Infinity },
    ];
    for (let i = 1; i < intervals.length; i++) assert.ok(intervals[i - 1]!.to <= intervals[i]!.from, `${JSON.stringify(intervals[i - 1])} overlaps ${JSON.stringify(intervals[i])}`);
    for (const m of members) assert.ok(m.terms().length <= 1, `${m.identity} led twice: ${m.proc.stdout}`);
  });
});
