/**
 * Every protobuf package the decoder knows, built once on first use (the server pays nothing
 * until a client actually sends protobuf).
 */
import { buildSchema, type Schema } from './schema.js';
import { intstr, meta, resource, runtime } from './meta.js';
import { core } from './core.js';
import { apps } from './apps.js';
import { batch } from './batch.js';
import { rbac } from './rbac.js';
import { networking } from './networking.js';
import { policy } from './policy.js';
import { scheduling } from './scheduling.js';
import { autoscaling } from './autoscaling.js';
import { coordination } from './coordination.js';

export const GROUPS = [runtime, intstr, resource, meta, core, apps, batch, rbac, networking, policy, scheduling, autoscaling, coordination] as const;

let built: Schema | undefined;

export function schema(): Schema {
  return (built ??= buildSchema(GROUPS));
}
