/**
 * Service addresses: ClusterIPs from the cluster's service CIDR and NodePorts from
 * 30000-32767, as kube-apiserver allocates them. Here a controller fills them in right after
 * a Service is created (the allocator is rebuilt from existing Services at start); ideally the
 * API server would allocate on create, see NOTES-sim.md. Also keeps the `kubernetes` Service
 * in default, which every cluster has.
 */
import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { Controller } from '../controller/controller.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/client.js';
import { keyOf, type Informer } from '../client/informer.js';
import { R } from '../client/resources.js';
import { FIELD_MANAGER, type SimContext } from './context.js';
import { intToIp, IpAllocator, parseCidr, PortAllocator } from './ipam.js';

const NEEDS_NODE_PORT = new Set(['NodePort', 'LoadBalancer']);

export interface ServiceAddresses {
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  internalTrafficPolicy?: string;
  externalTrafficPolicy?: string;
  ports?: ServicePort[];
}

/** Allocation state of one cluster's Services. */
export class ServiceAllocator {
  readonly #ips: IpAllocator;
  readonly #ports = new PortAllocator();
  /** Per Service: what it holds; `committed` are node ports it had before the current plan. */
  readonly #held = new Map<string, { ips: string[]; ports: number[]; committed: Set<number> }>();
  /** The first address, which the `kubernetes` Service gets. */
  readonly apiServiceIP: string;

  constructor(serviceCIDR: string) {
    const c = parseCidr(serviceCIDR);
    this.apiServiceIP = intToIp(c.base + 1);
    this.#ips = IpAllocator.forCidr(c, 1);
  }

  /** Records what an existing Service already holds (rebuilding state at start). */
  observe(svc: Service): void {
    const key = keyOf(svc as any);
    if (this.#held.has(key)) return;
    const held = { ips: [] as string[], ports: [] as number[], committed: new Set<number>() };
    for (const ip of svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : [])) if (ip !== 'None' && this.#ips.reserve(ip)) held.ips.push(ip);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort && this.#ports.reserve(p.nodePort)) held.ports.push(p.nodePort);
    held.committed = new Set(held.ports);
    this.#held.set(key, held);
  }

  /** The spec fields a new Service still lacks, allocating what it needs; undefined when complete. */
  plan(svc: Service): ServiceAddresses | undefined {
    const spec = svc.spec ?? {};
    const type = spec.type ?? 'ClusterIP';
    if (type === 'ExternalName') return undefined;
    const key = keyOf(svc as any);
    const held = this.#held.get(key) ?? { ips: [], ports: [], committed: new Set<number>() };
    this.#held.set(key, held);
    // Addresses the user asked for are the Service's own: reserve them, never undo them.
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) if (ip !== 'None' && !held.ips.includes(ip) && this.#ips.reserve(ip)) held.ips.push(ip);
    for (const p of spec.ports ?? []) if (p.nodePort && !held.ports.includes(p.nodePort) && this.#ports.reserve(p.nodePort)) held.ports.push(p.nodePort);
    held.committed = new Set(held.ports);
    const out: ServiceAddresses = {};
    if (!spec.clusterIP) {
      const ip = this.#ips.allocate();
      if (!ip) throw new Error(`service CIDR exhausted: no ClusterIP for ${key}`);
      held.ips.push(ip);
      out.clusterIP = ip;
      out.clusterIPs = [ip];
    } else if (!spec.clusterIPs?.length) out.clusterIPs = [spec.clusterIP];
    if (!spec.ipFamilies?.length) out.ipFamilies = ['IPv4'];
    if (!spec.ipFamilyPolicy) out.ipFamilyPolicy = 'SingleStack';
    if (!spec.internalTrafficPolicy) out.internalTrafficPolicy = 'Cluster';
    if (NEEDS_NODE_PORT.has(type)) {
      if (!spec.externalTrafficPolicy) out.externalTrafficPolicy = 'Cluster';
      if ((spec.ports ?? []).some((p) => !p.nodePort)) {
        out.ports = (spec.ports ?? []).map((p) => {
          if (p.nodePort) return p;
          const port = this.#ports.allocate();
          if (!port) throw new Error(`node ports exhausted: none for ${key}`);
          held.ports.push(port);
          return { ...p, nodePort: port };
        });
      }
    }
    return Object.keys(out).length ? out : undefined;
  }

  /** Gives back addresses a failed plan() took. */
  undo(key: string, taken: ServiceAddresses): void {
    const held = this.#held.get(key);
    const ip = taken.clusterIP;
    if (ip && held?.ips.includes(ip)) {
      held.ips = held.ips.filter((x) => x !== ip);
      this.#ips.release(ip);
    }
    for (const p of taken.ports ?? []) {
      if (p.nodePort && held?.ports.includes(p.nodePort) && !held.committed.has(p.nodePort)) {
        held.ports = held.ports.filter((x) => x !== p.nodePort);
        this.#ports.release(p.nodePort);
      }
    }
  }

  release(key: string): void {
    const held = this.#held.get(key);
    if (!held) return;
    this.#held.delete(key);
    for (const ip of held.ips) this.#ips.release(ip);
    for (const p of held.ports) this.#ports.release(p);
  }
}

export function startServiceAllocation(ctx: SimContext, apiServerPort: number): Controller {
  const services: Informer<Service> = ctx.factory.for<Service>(R.services);
  const alloc = new ServiceAllocator(ctx.cluster.serviceCIDR);
  const controller = new Controller({
    name: 'service-ips',
    clock: ctx.clock,
    logger: ctx.log,
    metrics: ctx.metrics,
    reconcile: async (key) => {
      const svc = services.get(key);
      if (!svc) return alloc.release(key);
      const plan = alloc.plan(svc);
      if (!plan) return;
      try {
        await ctx.client.patch(R.services, svc.metadata!.name!, { metadata: { resourceVersion: svc.metadata!.resourceVersion }, spec: plan }, 'merge', {
          namespace: svc.metadata!.namespace,
          fieldManager: FIELD_MANAGER,
        });
      } catch (e) {
        // Give back what this attempt took; the next event or retry plans again.
        alloc.undo(key, plan);
        if (isNotFound(e)) return;
        if (isConflict(e)) return { requeueAfter: 10 };
        throw e;
      }
    },
  });
  services.on({
    add: (s) => controller.enqueue(keyOf(s)),
    update: (_o, s) => controller.enqueue(keyOf(s)),
    delete: (s) => controller.enqueue(keyOf(s)),
  });
  void services.synced().then(async () => {
    // Existing Services keep their addresses before anything new is handed out.
    for (const s of services.list()) alloc.observe(s);
    await ensureKubernetesService(ctx, alloc.apiServiceIP, apiServerPort).catch((e) => ctx.log.warn({ err: e }, 'could not create the kubernetes Service'));
    controller.start(ctx.signal);
  });
  return controller;
}

/** default/kubernetes with the first service address, pointing at the API server. */
async function ensureKubernetesService(ctx: SimContext, ip: string, port: number): Promise<void> {
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: ip, clusterIPs: [ip], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }] },
  };
  const apiIP = intToIp(parseCidr(ctx.cluster.nodeCIDR).base + 1);
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: apiIP }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  };
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [apiIP], conditions: { ready: true, serving: true, terminating: false } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  };
  for (const [ref, obj] of [[R.services, svc], [R.endpoints, endpoints], [R.endpointslices, slice]] as const) {
    await ctx.client.create(ref, obj, { fieldManager: FIELD_MANAGER }).catch((e) => {
      if (!isAlreadyExists(e)) throw e;
    });
  }
}
