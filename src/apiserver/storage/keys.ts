/**
 * Key ordering shared by every backend.
 *
 * The Store contract orders keys by their bytes (UTF-8), as SQLite's BINARY collation and etcd
 * do. JavaScript's `<` compares UTF-16 code units instead, which disagrees for characters above
 * U+FFFF versus U+E000..U+FFFF; continue tokens must mean the same thing on every backend, so
 * in-memory structures sort with compareKeys (code-point order, which equals UTF-8 byte order).
 */

/** Orders keys by code point, i.e. by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800..DFFF) encode code points above FFFF, so they must sort after E000..FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** The larger of two keys in compareKeys order. */
export function maxKey(a: string, b: string): string {
  return compareKeys(a, b) >= 0 ? a : b;
}

/**
 * The smallest string greater than every key that starts with prefix, or null when there is
 * none (empty prefix, or a prefix of only U+10FFFF). Unlike store.ts's prefixEnd it is safe for
 * any well-formed prefix: it increments the last code point, skipping the surrogate range.
 */
export function rangeEnd(prefix: string): string | null {
  const cps = Array.from(prefix);
  while (cps.length > 0) {
    const cp = cps.pop()!.codePointAt(0)!;
    if (cp < 0x10ffff) {
      const next = cp + 1 === 0xd800 ? 0xe000 : cp + 1;
      return cps.join('') + String.fromCodePoint(next);
    }
  }
  return null;
}
