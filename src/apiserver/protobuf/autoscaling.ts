/**
 * autoscaling/v1 Scale: typed clients' UpdateScale (HPA-style controllers) PUTs it to the scale
 * subresource as protobuf. Field numbers from k8s.io/api autoscaling/v1.
 */
import type { GroupSpec } from './schema.js';

export const autoscaling: GroupSpec = {
  pkg: 'autoscaling',
  kinds: { 'autoscaling/v1': ['Scale'] },
  messages: {
    Scale: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'ScaleSpec'], status: [3, 'ScaleStatus'] },
    ScaleSpec: { replicas: [1, 'int32'] },
    ScaleStatus: { replicas: [1, 'int32', 'r'], selector: [2, 'string'] },
  },
};
