// The pure parts of cluster health: the Ready decision and the taints that follow from it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideReady, type ReadinessInput } from './readiness.js';

const S = 1000;
const ready = (status: string) => ({ type: 'Ready', status, reason: 'x', message: 'y', lastTransitionTime: '2030-01-01T00:00:00Z' });

describe('decideReady', () => {
  const base: ReadinessInput = { probe: 'healthy', now: 100 * S, firstSeen: 50 * S, created: 0, graceMs: 20 * S, startupGraceMs: 60 * S };
  const table: { name: string; in: Partial<ReadinessInput>; want?: [string, string]; graceEndsAt?: number }[] = [
    { name: 'healthy: True at once', in: { prev: ready('Unknown') }, want: ['True', 'ClusterReady'] },
    { name: 'healthy, new cluster: True at once', in: {}, want: ['True', 'ClusterReady'] },
    { name: 'unreachable within the grace after the last healthy probe: unchanged', in: { prev: ready('True'), probe: 'unreachable', lastHealthy: 90 * S }, graceEndsAt: 110 * S },
    { name: 'unreachable past the grace: Unknown', in: { prev: ready('True'), probe: 'unreachable', lastHealthy: 79 * S }, want: ['Unknown', 'ClusterNotReachable'] },
    { name: 'answering but unhealthy past the grace: False', in: { prev: ready('True'), probe: 'unhealthy', lastHealthy: 70 * S }, want: ['False', 'ClusterNotReady'] },
    { name: 'already not Ready: follows the failure kind at once', in: { prev: ready('Unknown'), probe: 'unhealthy', lastHealthy: 99 * S }, want: ['False', 'ClusterNotReady'] },
    { name: 'already False, now unreachable: Unknown', in: { prev: ready('False'), probe: 'unreachable', lastHealthy: 99 * S }, want: ['Unknown', 'ClusterNotReachable'] },
    { name: 'after a restart, no healthy probe yet: the grace runs from first sight', in: { prev: ready('True'), probe: 'unreachable', now: 60 * S }, graceEndsAt: 70 * S },
    { name: 'after a restart, past the grace from first sight', in: { prev: ready('True'), probe: 'unreachable', now: 71 * S }, want: ['Unknown', 'ClusterNotReachable'] },
    { name: 'new cluster within the startup grace: no condition yet', in: { probe: 'unreachable', created: 50 * S, now: 100 * S }, graceEndsAt: 110 * S },
    { name: 'new cluster past the startup grace: Unknown', in: { probe: 'unreachable', created: 30 * S, firstSeen: 30 * S, now: 100 * S }, want: ['Unknown', 'ClusterNotReachable'] },
    { name: 'new cluster seen late: at least one grace from first sight', in: { probe: 'unreachable', created: 0, firstSeen: 95 * S, now: 100 * S }, graceEndsAt: 115 * S },
  ];
  for (const c of table)
    it(c.name, () => {
      const d = decideReady({ ...base, ...c.in });
      if (c.want) {
        assert.equal(d.want?.status, c.want[0]);
        assert.equal(d.want?.reason, c.want[1]);
        assert.equal(d.graceEndsAt, undefined);
      } else {
        assert.equal(d.want, undefined);
        assert.equal(d.graceEndsAt, c.graceEndsAt);
      }
    });
});
