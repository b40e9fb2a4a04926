import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { FakeClock, flush } from '../util/clock.js';
import { createLogger } from '../util/logger.js';
import { Controller, type ControllerConfig } from './controller.js';
import { TerminalError, type Reconciler } from './reconcile.js';

type Line = Record<string, unknown>;

function setup(reconcile: Reconciler<string>, extra: Partial<ControllerConfig<string>> = {}) {
  const clock = new FakeClock();
  const registry = new Registry();
  const lines: Line[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (s) => void lines.push(JSON.parse(s)) } });
  const controller = new Controller<string>({ name: 'test', reconcile, clock, logger, metrics: registry, ...extra });
  return { controller, clock, registry, lines };
}

async function metric(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = registry.getSingleMetric(name);
  assert.ok(m, `${name} is registered`);
  const { values } = await m.get();
  const match = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Controller', () => {
  it('reconciles each enqueued key once, collapsing duplicates while queued', async () => {
    const calls: string[] = [];
    const { controller } = setup(async (key) => void calls.push(key));
    for (const k of ['a', 'b', 'a', 'a', 'c', 'b']) controller.enqueue(k);
    controller.start();
    await controller.idle();
    assert.deepEqual(calls, ['a', 'b', 'c']);
    await controller.stop();
  });

  it('reconciles a key enqueued during its reconcile exactly once more, afterwards', async () => {
    const calls: string[] = [];
    const gate = deferred();
    const { controller } = setup(
      async (key) => {
        calls.push(key);
        if (calls.length === 1) await gate.promise;
      },
      { workers: 4 },
    );
    controller.enqueue('a');
    controller.start();
    await flush();
    controller.enqueue('a');
    controller.enqueue('a');
    await flush();
    assert.deepEqual(calls, ['a'], 'no second worker picks up a key in progress');
    gate.resolve();
    await controller.idle();
    assert.deepEqual(calls, ['a', 'a']);
    await controller.stop();
  });

  it('never reconciles one key in two workers at once (4 workers)', async () => {
    const keys = ['a', 'b', 'c'];
    const active = new Map<string, number>();
    const lastEnqueued = new Map<string, number>();
    const lastStarted = new Map<string, number>();
    let running = 0;
    let maxRunning = 0;
    let maxPerKey = 0;
    let calls = 0;
    const { controller, clock } = setup(
      async (key) => {
        calls++;
        lastStarted.set(key, clock.now());
        const n = (active.get(key) ?? 0) + 1;
        active.set(key, n);
        maxPerKey = Math.max(maxPerKey, n);
        maxRunning = Math.max(maxRunning, ++running);
        await clock.sleep(10);
        running--;
        active.set(key, n - 1);
      },
      { workers: 4 },
    );
    controller.start();
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 5; i++) {
        const key = keys[(round * 7 + i * 3) % keys.length]!;
        controller.enqueue(key);
        lastEnqueued.set(key, clock.now());
      }
      await clock.stepAsync(round % 3 === 0 ? 10 : 4);
    }
    await clock.stepAsync(100);
    await controller.idle();
    assert.equal(maxPerKey, 1);
    assert.equal(maxRunning, keys.length, 'different keys do run in parallel');
    assert.ok(calls < 40 * 5, `duplicates collapsed (${calls} calls)`);
    for (const key of keys) {
      assert.ok(lastStarted.get(key)! >= lastEnqueued.get(key)!, `${key} reconciled after its last enqueue`);
    }
    await controller.stop();
  });

  it('retries errors with exponential backoff, logging each failure once, and forgets on success', async () => {
    let failuresLeft = 4;
    let calls = 0;
    const { controller, clock, lines } = setup(async () => {
      calls++;
      if (failuresLeft-- > 0) throw Object.assign(new Error('apiserver unavailable'), { headers: { authorization: 'Bearer s3cr3t' } });
    });
    controller.enqueue('ns/a');
    controller.start();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await controller.idle();
      delays.push(clock.nextTimerAt()! - clock.now());
      clock.step(delays[i]! - 1);
      await controller.idle();
      assert.equal(calls, i + 1, 'not retried before the backoff expires');
      clock.step(1);
    }
    await controller.idle();
    assert.equal(calls, 5);
    assert.deepEqual(delays, [5, 10, 20, 40]);
    assert.equal(clock.pendingTimers(), 0, 'nothing left to retry');

    const errors = lines.filter((l) => l['level'] === 'error');
    assert.equal(errors.length, 4, 'one line per failure');
    for (const line of errors) {
      assert.equal(line['key'], 'ns/a');
      assert.equal((line['err'] as Line)['message'], 'apiserver unavailable');
    }
    assert.ok(!JSON.stringify(lines).includes('s3cr3t'), 'error properties are not logged');

    // The success forgot the history: the next failure backs off from the base again.
    failuresLeft = 1;
    controller.enqueue('ns/a');
    await controller.idle();
    assert.equal(clock.nextTimerAt()! - clock.now(), 5);
    await controller.stop();
  });

  it('does not retry a TerminalError, even when wrapped, and counts it', async () => {
    const calls: string[] = [];
    const { controller, clock, registry, lines } = setup(async (key) => {
      calls.push(key);
      if (key === 'bad') throw new TerminalError('spec.replicas must be >= 0');
      throw new Error('while syncing', { cause: TerminalError.from(new Error('unsupported kind')) });
    });
    controller.enqueue('bad');
    controller.enqueue('wrapped');
    controller.start();
    await controller.idle();
    clock.step(10_000);
    await controller.idle();
    assert.deepEqual(calls, ['bad', 'wrapped']);
    assert.equal(clock.pendingTimers(), 0);
    assert.equal(await metric(registry, 'flotilla_reconcile_total', { result: 'terminal' }), 2);
    assert.equal(await metric(registry, 'flotilla_workqueue_retries_total'), 0);
    assert.equal(lines.filter((l) => l['level'] === 'error').length, 2);
    await controller.stop();
  });

  it('requeueAfter reconciles again after the delay, without backoff', async () => {
    const seen: number[] = [];
    const { controller, clock, registry } = setup(async () => {
      seen.push(clock.now());
      return seen.length < 3 ? { requeueAfter: 30_000 } : undefined;
    });
    controller.enqueue('a');
    controller.start();
    await controller.idle();
    clock.step(29_999);
    await controller.idle();
    assert.deepEqual(seen, [0]);
    clock.step(1);
    await controller.idle();
    await clock.stepAsync(30_000);
    await controller.idle();
    assert.deepEqual(seen, [0, 30_000, 60_000]);
    assert.equal(clock.pendingTimers(), 0);
    assert.equal(await metric(registry, 'flotilla_reconcile_total', { result: 'requeue_after' }), 2);
    assert.equal(await metric(registry, 'flotilla_reconcile_total', { result: 'success' }), 1);
    await controller.stop();
  });

  it('survives reconcilers that throw synchronously or throw non-errors', async () => {
    let n = 0;
    const nasty = ((key: string) => {
      n++;
      if (key === 'sync') throw new Error('sync throw');
      return Promise.reject('a string'); // eslint-disable-line prefer-promise-reject-errors
    }) as unknown as Reconciler<string>;
    const { controller, registry } = setup(nasty);
    controller.enqueue('sync');
    controller.enqueue('str');
    controller.start();
    await controller.idle();
    assert.equal(n, 2);
    assert.equal(await metric(registry, 'flotilla_reconcile_total', { result: 'error' }), 2);
    await controller.stop();
  });

  it('gives every reconcile a logger bound to controller, key and a fresh reconcileID', async () => {
    const { controller, lines } = setup(async (_key, { log }) => log.info({ step: 1 }, 'working'));
    controller.enqueue('x');
    controller.start();
    await controller.idle();
    controller.enqueue('x');
    await controller.idle();
    const working = lines.filter((l) => l['msg'] === 'working');
    assert.equal(working.length, 2);
    for (const line of working) {
      assert.equal(line['controller'], 'test');
      assert.equal(line['key'], 'x');
      assert.match(String(line['reconcileID']), /^[0-9a-f-]{36}$/);
    }
    assert.notEqual(working[0]!['reconcileID'], working[1]!['reconcileID']);
    await controller.stop();
  });

  it('stop() drains: queued keys still run, new keys are refused, resolves when workers finish', async () => {
    const calls: string[] = [];
    const gate = deferred();
    const { controller } = setup(async (key) => {
      calls.push(key);
      if (calls.length === 1) await gate.promise;
    });
    for (const k of ['a', 'b', 'c']) controller.enqueue(k);
    controller.start();
    await flush();
    controller.enqueue('a'); // dirty while running: owed one more pass
    let stopped = false;
    const stopping = controller.stop().then(() => (stopped = true));
    controller.enqueue('late');
    await flush();
    assert.equal(stopped, false, 'waits for the running reconcile');
    gate.resolve();
    await stopping;
    assert.deepEqual(calls, ['a', 'b', 'c', 'a']);
    assert.equal(controller.stop(), controller.stop(), 'idempotent');
  });

  it('aborting the start signal stops at once: running reconciles see it, queued keys are dropped', async () => {
    const calls: string[] = [];
    const ac = new AbortController();
    const { controller, clock, lines } = setup(async (key, { signal }) => {
      calls.push(key);
      await clock.sleep(60_000, signal);
    });
    controller.enqueue('a');
    controller.enqueue('b');
    controller.start(ac.signal);
    await flush();
    ac.abort();
    await controller.stop();
    assert.deepEqual(calls, ['a']);
    assert.equal(clock.pendingTimers(), 0);
    assert.equal(lines.filter((l) => l['level'] === 'error').length, 0, 'shutdown is not an error');
  });

  it('idle() waits for running reconciles and due retries, not for later ones', async () => {
    const gate = deferred();
    let calls = 0;
    const { controller, clock } = setup(async () => {
      calls++;
      await gate.promise;
      throw new Error('again');
    });
    controller.enqueue('a');
    controller.start();
    let idle = false;
    const waiting = controller.idle().then(() => (idle = true));
    await flush();
    assert.equal(idle, false, 'a reconcile is running');
    gate.resolve();
    await waiting;
    // A retry is due in 5 ms: idle() ignores it; idle(7) waits for it, and then not for the
    // next one, 10 ms after that.
    await controller.idle();
    const within = controller.idle(7);
    await flush();
    assert.equal(calls, 1);
    clock.step(5);
    await within;
    assert.equal(calls, 2);
    await controller.stop();
  });

  it('counts reconciles, durations, retries and queue depth in the given registry', async () => {
    const { controller, clock, registry } = setup(async (key) => {
      await clock.sleep(250);
      if (key === 'err') throw new Error('x');
      if (key === 'fatal') throw new TerminalError('x');
      if (key === 'later') return { requeueAfter: 60_000 };
      return undefined;
    }, { workers: 4 });
    for (const k of ['ok', 'err', 'fatal', 'later']) controller.enqueue(k);
    assert.equal(await metric(registry, 'flotilla_workqueue_depth', { controller: 'test' }), 4);
    controller.start();
    await clock.stepAsync(250);
    await controller.idle();
    const total = (result: string) => metric(registry, 'flotilla_reconcile_total', { controller: 'test', result });
    assert.equal(await total('success'), 1);
    assert.equal(await total('error'), 1);
    assert.equal(await total('terminal'), 1);
    assert.equal(await total('requeue_after'), 1);
    assert.equal(await metric(registry, 'flotilla_workqueue_retries_total', { controller: 'test' }), 1);
    assert.equal(await metric(registry, 'flotilla_workqueue_depth', { controller: 'test' }), 0);
    const text = await registry.metrics();
    assert.match(text, /flotilla_reconcile_duration_seconds_count\{controller="test"\} 4/);
    assert.match(text, /flotilla_reconcile_duration_seconds_bucket\{le="0.25",controller="test"\} 4/);
    assert.match(text, /flotilla_reconcile_duration_seconds_bucket\{le="0.1",controller="test"\} 0/);
    await controller.stop();
  });

  it('shares one registry between controllers, labelled by name', async () => {
    const registry = new Registry();
    const mk = (name: string) =>
      new Controller({ name, reconcile: async () => {}, clock: new FakeClock(), metrics: registry, logger: createLogger({ level: 'silent' }) });
    const a = mk('alpha');
    const b = mk('beta');
    a.enqueue('1');
    b.enqueue('1');
    b.enqueue('2');
    a.start();
    b.start();
    await Promise.all([a.idle(), b.idle()]);
    assert.equal(await metric(registry, 'flotilla_reconcile_total', { controller: 'alpha', result: 'success' }), 1);
    assert.equal(await metric(registry, 'flotilla_reconcile_total', { controller: 'beta', result: 'success' }), 2);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('validates its config and refuses a second start', async () => {
    const reconcile = async () => {};
    assert.throws(() => new Controller({ name: '', reconcile, metrics: new Registry() }), /name/);
    assert.throws(() => new Controller({ name: 'w', reconcile, workers: 0, metrics: new Registry() }), RangeError);
    const { controller } = setup(reconcile);
    controller.start();
    assert.throws(() => controller.start(), /already started/);
    await controller.stop();
  });

  it('stop() before start resolves at once and refuses keys', async () => {
    const calls: string[] = [];
    const { controller } = setup(async (k) => void calls.push(k));
    await controller.stop();
    controller.enqueue('a');
    controller.start();
    await controller.stop();
    assert.deepEqual(calls, []);
  });
});
