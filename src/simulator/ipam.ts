/**
 * IPv4 address management for simulated clusters: CIDR parsing, per-node pod ranges, and
 * allocators for pod IPs, service ClusterIPs and NodePorts. State lives in memory and is
 * rebuilt from the API (existing pods and services) when a cluster's components start.
 */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
  /** Number of addresses in the range (2^(32-prefix)). */
  size: number;
  text: string;
}

export function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses "a.b.c.d/p" (IPv4 only); throws with a readable reason. The host bits must be zero. */
export function parseCidr(text: string): Cidr {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(text);
  const ip = m ? ipToInt(m[1]!) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (ip === undefined || !(prefix >= 0 && prefix <= 32)) throw new Error(`${JSON.stringify(text)} is not an IPv4 CIDR (a.b.c.d/prefix)`);
  const size = 2 ** (32 - prefix);
  if (ip % size !== 0) throw new Error(`${JSON.stringify(text)} has host bits set (did you mean ${intToIp(ip - (ip % size))}/${prefix}?)`);
  return { base: ip, prefix, size, text };
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n !== undefined && n >= c.base && n < c.base + c.size;
}

/** The index-th sub-range of prefix `prefix` inside c. */
export function subnet(c: Cidr, prefix: number, index: number): Cidr {
  const size = 2 ** (32 - prefix);
  const base = c.base + index * size;
  if (prefix < c.prefix || base + size > c.base + c.size) throw new Error(`${c.text} has no subnet /${prefix} number ${index}`);
  return { base, prefix, size, text: `${intToIp(base)}/${prefix}` };
}

/**
 * The per-node pod range size: /24 like kube-controller-manager's default, smaller when the
 * cluster range cannot hold one /24 per node. Throws when nodes would get fewer than 4 addresses.
 */
export function nodePodPrefix(podCidr: Cidr, nodes: number): number {
  const bits = Math.ceil(Math.log2(Math.max(nodes, 1)));
  const prefix = Math.max(24, podCidr.prefix + bits);
  if (prefix > 30) throw new Error(`${podCidr.text} is too small for ${nodes} nodes (each node needs at least a /30)`);
  return prefix;
}

/**
 * Hands out addresses of [first, last] next-fit (so a freed address is not reused at once,
 * as kube-apiserver's random allocator also avoids), remembering which are in use.
 */
export class IpAllocator {
  readonly #used = new Set<number>();
  #cursor: number;

  constructor(
    readonly first: number,
    readonly last: number,
  ) {
    this.#cursor = first;
  }

  /** Usable addresses of a range, skipping the network address, `skip` more, and the broadcast address. */
  static forCidr(c: Cidr, skip = 0): IpAllocator {
    if (c.size <= 2 + skip) return new IpAllocator(c.base, c.base - 1); // empty
    return new IpAllocator(c.base + 1 + skip, c.base + c.size - 2);
  }

  get used(): number {
    return this.#used.size;
  }

  get capacity(): number {
    return Math.max(0, this.last - this.first + 1);
  }

  allocate(): string | undefined {
    const n = this.capacity;
    for (let i = 0; i < n; i++) {
      const ip = this.#cursor;
      this.#cursor = ip >= this.last ? this.first : ip + 1;
      if (!this.#used.has(ip)) {
        this.#used.add(ip);
        return intToIp(ip);
      }
    }
    return undefined;
  }

  /** Marks ip used (rebuilding from existing objects); false when outside the range or taken. */
  reserve(ip: string): boolean {
    const n = ipToInt(ip);
    if (n === undefined || n < this.first || n > this.last || this.#used.has(n)) return false;
    this.#used.add(n);
    return true;
  }

  has(ip: string): boolean {
    const n = ipToInt(ip);
    return n !== undefined && this.#used.has(n);
  }

  release(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.#used.delete(n);
  }
}

/** NodePorts: kube-apiserver's default --service-node-port-range. */
export class PortAllocator {
  readonly #used = new Set<number>();
  #cursor: number;

  constructor(
    readonly first = 30000,
    readonly last = 32767,
  ) {
    this.#cursor = first;
  }

  allocate(): number | undefined {
    for (let i = 0; i <= this.last - this.first; i++) {
      const p = this.#cursor;
      this.#cursor = p >= this.last ? this.first : p + 1;
      if (!this.#used.has(p)) {
        this.#used.add(p);
        return p;
      }
    }
    return undefined;
  }

  reserve(port: number): boolean {
    if (port < this.first || port > this.last || this.#used.has(port)) return false;
    this.#used.add(port);
    return true;
  }

  release(port: number): void {
    this.#used.delete(port);
  }
}

/**
 * Pod IPs per node: each node owns a slice of the cluster's pod CIDR (spec.podCIDR); the
 * first address of a node's range is its bridge, so pods start at .2, like flannel/kubenet.
 */
export class PodIpam {
  readonly #nodes = new Map<string, IpAllocator>();
  /** pod key → [node, ip], so releases need only the key. */
  readonly #owners = new Map<string, [string, string]>();

  setNodeRange(node: string, cidr: string): void {
    if (!this.#nodes.has(node)) this.#nodes.set(node, IpAllocator.forCidr(parseCidr(cidr), 1));
  }

  /** The pod's IP: the one it already holds, a reserved one (rebuild), or a new one. */
  assign(podKey: string, node: string, existing?: string): string | undefined {
    const held = this.#owners.get(podKey);
    if (held && held[0] === node) return held[1];
    const alloc = this.#nodes.get(node);
    if (!alloc) return undefined;
    if (existing && alloc.reserve(existing)) {
      this.#owners.set(podKey, [node, existing]);
      return existing;
    }
    const ip = alloc.allocate();
    if (ip) this.#owners.set(podKey, [node, ip]);
    return ip;
  }

  release(podKey: string): void {
    const held = this.#owners.get(podKey);
    if (!held) return;
    this.#owners.delete(podKey);
    this.#nodes.get(held[0])?.release(held[1]);
  }
}
