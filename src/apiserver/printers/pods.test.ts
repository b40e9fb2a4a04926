import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { printerFor } from './builtin.js';
import { podSummary } from './core.js';
import { NOW, ago, byName } from './testutil.js';

const running = (name: string, extra: object = {}) => ({
  name,
  image: 'img',
  imageID: '',
  ready: true,
  restartCount: 0,
  state: { running: { startedAt: ago('1h') } },
  ...extra,
});

function pod(over: Partial<{ spec: Pod['spec']; status: Pod['status']; metadata: Pod['metadata'] }> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', creationTimestamp: ago('2h'), ...over.metadata },
    spec: over.spec ?? { containers: [{ name: 'app', image: 'nginx' }] },
    status: over.status ?? { phase: 'Running', containerStatuses: [running('app')] as never },
  };
}

const sum = (p: Pod) => podSummary(p, NOW);

describe('pods: columns', () => {
  const p = printerFor('', 'pods');
  it('declares kube columns and priorities', () => {
    assert.deepEqual(
      p.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Ready', 'string', '', 0],
        ['Status', 'string', '', 0],
        ['Restarts', 'string', '', 0],
        ['Age', 'string', '', 0],
        ['IP', 'string', '', 1],
        ['Node', 'string', '', 1],
        ['Nominated Node', 'string', '', 1],
        ['Readiness Gates', 'string', '', 1],
      ],
    );
  });
  it('prints a running pod with wide cells', () => {
    const obj = pod({
      spec: { containers: [{ name: 'app' }], nodeName: 'node-1' },
      status: { phase: 'Running', podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.9' }, { ip: 'fd00::9' }], containerStatuses: [running('app')] as never },
    });
    assert.deepEqual(p.cells(obj, NOW), ['web-0', '1/1', 'Running', '0', '120m', '10.0.0.9', 'node-1', '<none>', '<none>']);
  });
  it('falls back to status.podIP and shows <none> placeholders', () => {
    const cells = byName(p.columns, p.cells(pod({ status: { phase: 'Pending', podIP: '10.1.1.1' } }), NOW));
    assert.equal(cells.IP, '10.1.1.1');
    assert.equal(cells.Node, '<none>');
    const bare = byName(p.columns, p.cells(pod({ status: { phase: 'Pending' } }), NOW));
    assert.equal(bare.IP, '<none>');
    assert.equal(bare.Ready, '0/1');
    assert.equal(bare.Status, 'Pending');
  });
  it('shows nominated node and readiness gates', () => {
    const obj = pod({
      spec: { containers: [{ name: 'app' }], readinessGates: [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }] },
      status: {
        phase: 'Running',
        nominatedNodeName: 'node-2',
        conditions: [
          { type: 'example.com/a', status: 'True' },
          { type: 'example.com/b', status: 'False' },
        ],
        containerStatuses: [running('app')] as never,
      },
    });
    const cells = byName(p.columns, p.cells(obj, NOW));
    assert.equal(cells['Nominated Node'], 'node-2');
    assert.equal(cells['Readiness Gates'], '1/2');
  });
  it('marks finished pods with a Completed row condition', () => {
    assert.deepEqual(p.conditions?.(pod({ status: { phase: 'Succeeded' } })), [
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    assert.equal(p.conditions?.(pod({ status: { phase: 'Failed' } }))?.[0]?.reason, 'Failed');
    assert.equal(p.conditions?.(pod()), undefined);
  });
  it('copes with an empty object', () => {
    assert.deepEqual(p.cells({}, NOW), ['', '0/0', '', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>']);
  });
});

describe('pods: STATUS and READY', () => {
  const two = { containers: [{ name: 'a' }, { name: 'b' }] };
  it('uses the phase, or status.reason over it', () => {
    assert.equal(sum(pod({ status: { phase: 'Pending' } })).status, 'Pending');
    assert.equal(sum(pod({ status: { phase: 'Failed', reason: 'Evicted' } })).status, 'Evicted');
  });
  it('counts only ready running containers', () => {
    const s = sum(pod({ spec: two, status: { phase: 'Running', containerStatuses: [running('a'), running('b', { ready: false })] as never } }));
    assert.equal(s.ready, '1/2');
    assert.equal(s.status, 'Running');
  });
  it('shows a waiting reason', () => {
    const s = sum(
      pod({
        spec: two,
        status: {
          phase: 'Running',
          containerStatuses: [running('a'), { name: 'b', ready: false, restartCount: 4, image: 'x', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
        },
      }),
    );
    assert.deepEqual([s.ready, s.status], ['1/2', 'CrashLoopBackOff']);
  });
  it('prefers the first container when several are waiting (containers are walked last to first)', () => {
    const s = sum(
      pod({
        spec: two,
        status: {
          phase: 'Pending',
          containerStatuses: [
            { name: 'a', ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: { reason: 'ErrImagePull' } } },
            { name: 'b', ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } },
          ],
        },
      }),
    );
    assert.equal(s.status, 'ErrImagePull');
  });
  it('shows terminated reasons, exit codes and signals', () => {
    const term = (t: object) =>
      sum(pod({ status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode: 0, ...t } } }] } })).status;
    assert.equal(term({ reason: 'OOMKilled', exitCode: 137 }), 'OOMKilled');
    assert.equal(term({ exitCode: 2 }), 'ExitCode:2');
    assert.equal(term({ exitCode: 0 }), 'ExitCode:0');
    assert.equal(term({ exitCode: 137, signal: 9 }), 'Signal:9');
  });
  it('ignores a waiting state without a reason', () => {
    const s = sum(pod({ status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: {} } }] } }));
    assert.equal(s.status, 'Pending');
  });
  it('turns Completed back into Running or NotReady while another container runs', () => {
    const statuses = [
      { name: 'a', ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      running('b'),
    ];
    const ready = sum(pod({ spec: two, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses as never } }));
    assert.deepEqual([ready.ready, ready.status], ['1/2', 'Running']);
    const notReady = sum(pod({ spec: two, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: statuses as never } }));
    assert.equal(notReady.status, 'NotReady');
    const allDone = sum(pod({ spec: two, status: { phase: 'Succeeded', containerStatuses: [statuses[0], { ...statuses[0], name: 'b' }] as never } }));
    assert.equal(allDone.status, 'Completed');
  });
  it('shows SchedulingGated', () => {
    const s = sum(pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }));
    assert.equal(s.status, 'SchedulingGated');
  });
  it('shows Terminating once deleted, unless finished', () => {
    assert.equal(sum(pod({ metadata: { name: 'p', deletionTimestamp: ago('10s') } })).status, 'Terminating');
    assert.equal(sum(pod({ metadata: { name: 'p', deletionTimestamp: ago('10s') }, status: { phase: 'Succeeded' } })).status, 'Succeeded');
    assert.equal(sum(pod({ metadata: { name: 'p', deletionTimestamp: ago('10s') }, status: { phase: 'Failed' } })).status, 'Failed');
  });
  it('shows Unknown for a deleted pod on a lost node', () => {
    assert.equal(sum(pod({ metadata: { name: 'p', deletionTimestamp: ago('1m') }, status: { phase: 'Running', reason: 'NodeLost' } })).status, 'Unknown');
    // Without deletion, the reason itself shows.
    assert.equal(sum(pod({ status: { phase: 'Running', reason: 'NodeLost' } })).status, 'NodeLost');
  });
});

describe('pods: init containers', () => {
  const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'app' }] };
  const init = (name: string, state: object, extra: object = {}) => ({ name, ready: false, restartCount: 0, image: '', imageID: '', state, ...extra });
  const pending = (initStatuses: object[], extra: object = {}) =>
    sum(pod({ spec, status: { phase: 'Pending', initContainerStatuses: initStatuses as never, containerStatuses: [init('app', { waiting: { reason: 'PodInitializing' } })] as never, ...extra } }));

  it('counts progress through init containers', () => {
    assert.equal(pending([init('i1', { running: {} }), init('i2', { waiting: {} })]).status, 'Init:0/2');
    assert.equal(pending([init('i1', { terminated: { exitCode: 0 } }), init('i2', { running: {} })]).status, 'Init:1/2');
    assert.equal(pending([init('i1', { waiting: { reason: 'PodInitializing' } }), init('i2', { waiting: {} })]).status, 'Init:0/2');
  });
  it('shows init failures', () => {
    assert.equal(pending([init('i1', { terminated: { exitCode: 1, reason: 'Error' } })]).status, 'Init:Error');
    assert.equal(pending([init('i1', { terminated: { exitCode: 3 } })]).status, 'Init:ExitCode:3');
    assert.equal(pending([init('i1', { terminated: { exitCode: 137, signal: 9 } })]).status, 'Init:Signal:9');
    assert.equal(pending([init('i1', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 5 })]).status, 'Init:CrashLoopBackOff');
  });
  it('counts init restarts while initializing, and only sidecar restarts afterwards', () => {
    const s = pending([init('i1', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 5 })]);
    assert.equal(s.restarts, '5');
    assert.equal(s.ready, '0/1');
    const done = sum(
      pod({
        spec,
        status: {
          phase: 'Running',
          initContainerStatuses: [init('i1', { terminated: { exitCode: 0 } }, { restartCount: 2 }), init('i2', { terminated: { exitCode: 0 } })] as never,
          containerStatuses: [running('app', { restartCount: 1 })] as never,
        },
      }),
    );
    assert.deepEqual([done.ready, done.status, done.restarts], ['1/1', 'Running', '1']);
  });
  it('reads the main containers when initialized even if an init status looks stuck', () => {
    const s = pending([init('i1', { waiting: { reason: 'CrashLoopBackOff' } })], {
      conditions: [{ type: 'Initialized', status: 'True' }],
      phase: 'Running',
    });
    assert.equal(s.status, 'PodInitializing');
  });
  it('counts started sidecars (restartable init containers) as containers', () => {
    const sidecarSpec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }, { name: 'setup' }], containers: [{ name: 'app' }] };
    const s = sum(
      pod({
        spec: sidecarSpec,
        status: {
          phase: 'Running',
          initContainerStatuses: [
            init('proxy', { running: {} }, { started: true, ready: true, restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago('3m') } } }),
            init('setup', { terminated: { exitCode: 0 } }, { restartCount: 7 }),
          ] as never,
          containerStatuses: [running('app')] as never,
        },
      }),
    );
    assert.deepEqual([s.ready, s.status, s.restarts], ['2/2', 'Running', '2 (3m ago)']);
    const starting = sum(
      pod({
        spec: sidecarSpec,
        status: { phase: 'Pending', initContainerStatuses: [init('proxy', { running: {} }, { started: false })] as never },
      }),
    );
    assert.deepEqual([starting.ready, starting.status], ['0/2', 'Init:0/2']);
  });
});

describe('pods: RESTARTS', () => {
  it('adds how long ago the last restart was', () => {
    const s = sum(
      pod({
        spec: { containers: [{ name: 'a' }, { name: 'b' }] },
        status: {
          phase: 'Running',
          containerStatuses: [
            running('a', { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago('2h') } } }),
            running('b', { restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago('5m') } } }),
          ] as never,
        },
      }),
    );
    assert.equal(s.restarts, '5 (5m ago)');
  });
  it('has no suffix without a termination time', () => {
    assert.equal(sum(pod({ status: { phase: 'Running', containerStatuses: [running('app', { restartCount: 4 })] as never } })).restarts, '4');
  });
  it('has no suffix with zero restarts', () => {
    const s = sum(pod({ status: { phase: 'Running', containerStatuses: [running('app', { lastState: { terminated: { exitCode: 0, finishedAt: ago('1m') } } })] as never } }));
    assert.equal(s.restarts, '0');
  });
});
