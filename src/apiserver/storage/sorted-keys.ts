import { compareKeys } from './keys.js';

/** Chunks split when they grow past this (sizes 32..1024 measured the same at 100k keys). */
const MAX_CHUNK = 512;

/** Code units at which UTF-16 order and code-point order can start to disagree. */
const WIDE = /[\ud800-\uffff]/;
const nativeCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A sorted set of keys (compareKeys order) with O(sqrt n) insert/delete and ordered scans.
 *
 * A flat sorted array costs O(n) per insert (100k random inserts ≈ seconds); a tree is more
 * code than this needs. Chunks of at most MAX_CHUNK keys keep splices short while scans stay
 * plain array walks.
 *
 * Comparisons dominate (compareKeys walks code units in JS, ~300 ns at 20 shared characters;
 * `<` is native). The two orders differ only where one string has a surrogate and the other a
 * unit in E000..FFFF at the first difference, so while no stored key has a unit >= D800 the
 * native comparison is exact for every key it meets, stored or probed.
 */
export class SortedKeys {
  private chunks: string[][] = [];
  private count = 0;
  private cmp = nativeCompare;

  /** Builds from keys already sorted by compareKeys and distinct (e.g. from an index scan). */
  static fromSorted(keys: readonly string[]): SortedKeys {
    const s = new SortedKeys();
    for (let i = 0; i < keys.length; i += MAX_CHUNK / 2) s.chunks.push(keys.slice(i, i + MAX_CHUNK / 2));
    s.count = keys.length;
    if (keys.some((k) => WIDE.test(k))) s.cmp = compareKeys;
    return s;
  }

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    const c = this.chunkFor(key);
    if (c < 0) return false;
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk, key, this.cmp);
    return i < chunk.length && chunk[i] === key;
  }

  /** Adds key; returns false if it was already present. */
  add(key: string): boolean {
    if (this.cmp === nativeCompare && WIDE.test(key)) this.cmp = compareKeys; // for good: cheap and rare
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.count = 1;
      return true;
    }
    let c = this.chunkFor(key);
    if (c < 0) c = this.chunks.length - 1; // greater than every key: append to the last chunk
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk, key, this.cmp);
    if (i < chunk.length && chunk[i] === key) return false;
    chunk.splice(i, 0, key);
    this.count++;
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK / 2));
    return true;
  }

  /** Removes key; returns false if it was absent. */
  delete(key: string): boolean {
    const c = this.chunkFor(key);
    if (c < 0) return false;
    const chunk = this.chunks[c]!;
    const i = lowerBound(chunk, key, this.cmp);
    if (i >= chunk.length || chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(c, 1);
    return true;
  }

  /** Calls fn for each key >= start in order until fn returns false. */
  scan(start: string, fn: (key: string) => boolean): void {
    let c = this.chunkFor(start);
    if (c < 0) return;
    let i = lowerBound(this.chunks[c]!, start, this.cmp);
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c]!;
      for (; i < chunk.length; i++) if (!fn(chunk[i]!)) return;
    }
  }

  /** Index of the first chunk whose last key is >= key, or -1 if key is past every key. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (this.cmp(chunk[chunk.length - 1]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.chunks.length ? lo : -1;
  }
}

function lowerBound(arr: readonly string[], key: string, cmp: (a: string, b: string) => number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(arr[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
