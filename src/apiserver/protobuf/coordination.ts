/**
 * coordination.k8s.io/v1 Lease: leader election in every client-go controller renews one through
 * a typed client, i.e. as protobuf. Field numbers from k8s.io/api coordination/v1.
 */
import type { GroupSpec } from './schema.js';

export const coordination: GroupSpec = {
  pkg: 'coordination',
  kinds: { 'coordination.k8s.io/v1': ['Lease'] },
  messages: {
    Lease: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'LeaseSpec'] },
    LeaseSpec: {
      holderIdentity: [1, 'string', 'p'],
      leaseDurationSeconds: [2, 'int32', 'p'],
      acquireTime: [3, 'meta.MicroTime', 'p'],
      renewTime: [4, 'meta.MicroTime', 'p'],
      leaseTransitions: [5, 'int32', 'p'],
      strategy: [6, 'string', 'p'],
      preferredHolder: [7, 'string', 'p'],
    },
  },
};
