/**
 * What Flotilla last wrote to each member object (its generation and resourceVersion after the
 * apply), Karmada's objectwatcher version record. An update event whose object has moved past
 * the record was made by someone else: a spec change out of band (a higher generation) or, for
 * kinds without generation, any change. Status-only changes of kinds with generation are not.
 */
type Meta = { metadata?: { generation?: number; resourceVersion?: string; namespace?: string; name?: string } };

export class VersionRecord {
  readonly #records = new Map<string, { generation?: number; rv?: string }>();
  /** Applies in flight: their own watch event may arrive before their response. */
  readonly #pending = new Map<string, number>();

  static key(cluster: string, resource: string, namespace: string | undefined, name: string): string {
    return `${cluster}|${resource}|${namespace ?? ''}/${name}`;
  }

  /** Marks an apply of key as started; end it with record() or settle(). */
  begin(key: string): void {
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1);
  }

  /** Ends an apply that failed. */
  settle(key: string): void {
    const n = (this.#pending.get(key) ?? 1) - 1;
    if (n > 0) this.#pending.set(key, n);
    else this.#pending.delete(key);
  }

  /** Ends an apply with what the member answered. */
  record(key: string, obj: Meta): void {
    this.settle(key);
    this.#records.set(key, { generation: obj.metadata?.generation, rv: obj.metadata?.resourceVersion });
  }

  forget(key: string): void {
    this.#records.delete(key);
  }

  forgetCluster(cluster: string): void {
    for (const k of [...this.#records.keys()]) if (k.startsWith(`${cluster}|`)) this.#records.delete(k);
  }

  /**
   * Whether `obj` was changed by someone other than Flotilla since its last apply. Unknown objects
   * (nothing recorded, e.g. after a restart) are not: every Work is applied once at start anyway.
   */
  changedOutOfBand(key: string, obj: Meta): boolean {
    const r = this.#records.get(key);
    if (!r || this.#pending.has(key)) return false;
    const gen = obj.metadata?.generation;
    if (typeof gen === 'number' && typeof r.generation === 'number') return gen > r.generation;
    return obj.metadata?.resourceVersion !== r.rv;
  }

  get size(): number {
    return this.#records.size;
  }
}
