/**
 * The Webster (Sainte-Laguë) apportionment Karmada divides replicas with since v1.16
 * (pkg/util/helper/webstermethod.go): seats go one at a time to the party with the largest
 * votes / (2·seats + 1). It is house-monotone (raising the total never takes a seat away), which
 * is why Karmada replaced its largest-remainder dispenser with it (kar#6735, #6739).
 *
 * Ties (equal priority) go to the party with fewer seats, then by name; the name direction
 * comes from the tie-breaker. Karmada's dispenser breaks name ties by the parity of the
 * FNV-1a-32 hash of the workload UID, so that across many workloads the odd replica does not
 * always land on the alphabetically first cluster.
 *
 * Seats are handed out in a fixed total order of (party, k-th seat) values, so the result only
 * depends on which values are in the top `newSeats`. That lets us pre-assign, in O(parties),
 * every seat whose value is above a threshold that provably lies inside the top set, and finish
 * the last O(parties) seats with the heap — O(p log p) instead of O(seats · log p).
 */

export interface Party {
  readonly name: string;
  readonly votes: number;
  seats: number;
}

/** Which name wins a tie between parties with equal priority and equal seats. */
export type NameOrder = 'smaller-first' | 'larger-first';

/** FNV-1a 32-bit over the UTF-8 bytes of `s` (Go's hash/fnv New32a). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(s);
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

/** Karmada's tieBreakerByUID: an odd hash lets the larger name win; even or empty, the smaller. */
export function nameOrderForUID(uid: string | undefined): NameOrder {
  if (!uid) return 'smaller-first';
  return fnv1a32(uid) % 2 === 1 ? 'larger-first' : 'smaller-first';
}

/** Go's float64(votes) / float64(2*seats+1); the same IEEE arithmetic gives the same ties. */
const priority = (votes: number, seats: number): number => votes / (2 * seats + 1);

/** True when party a gets the next seat before party b. */
function before(a: Party, b: Party, order: NameOrder): boolean {
  const pa = priority(a.votes, a.seats);
  const pb = priority(b.votes, b.seats);
  if (pa !== pb) return pa > pb;
  // Fewer seats first: smaller clusters get their first replica early, which favours HA.
  if (a.seats !== b.seats) return a.seats < b.seats;
  return order === 'larger-first' ? a.name > b.name : a.name < b.name;
}

function siftDown(h: Party[], i: number, order: NameOrder): void {
  const n = h.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) return;
    let m = l;
    if (l + 1 < n && before(h[l + 1]!, h[l]!, order)) m = l + 1;
    if (!before(h[m]!, h[i]!, order)) return;
    [h[i], h[m]] = [h[m]!, h[i]!];
    i = m;
  }
}

/** Values v/(2k+1) for k ≥ seats that are strictly greater than d (exact in float64). */
function countAbove(votes: number, seats: number, d: number): number {
  if (votes <= 0) return 0;
  // 2k+1 < votes/d  ⇒  k < (votes/d − 1)/2; correct the estimate against the real comparison.
  let c = Math.max(0, Math.ceil((votes / d - 1) / 2) - seats);
  while (c > 0 && !(priority(votes, seats + c - 1) > d)) c--;
  while (priority(votes, seats + c) > d) c++;
  return c;
}

/**
 * Hands out `newSeats` seats to `parties` (mutating their `seats`) and returns them sorted by
 * name, like Karmada's AllocateWebsterSeats. Existing seats are kept and count in the priority.
 * A party with 0 votes only gets a seat when every party has priority 0.
 */
export function allocateWebsterSeats(newSeats: number, parties: Party[], order: NameOrder = 'smaller-first'): Party[] {
  distribute(newSeats, parties, order);
  return parties.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function distribute(newSeats: number, parties: Party[], order: NameOrder): void {
  let remaining = Math.max(0, Math.floor(newSeats));
  const n = parties.length;
  if (n === 0) return;
  const totalVotes = parties.reduce((s, p) => s + Math.max(0, p.votes), 0);
  // Threshold pre-assignment: every value above d is in the top `remaining` when the count of
  // such values is at most `remaining`; with d = V/(2R − n) that count is ≤ V/(2d) + n/2 = R.
  if (totalVotes > 0 && 2 * remaining > n && remaining > 4 * n) {
    const d = totalVotes / (2 * remaining - n);
    const counts = parties.map((p) => countAbove(p.votes, p.seats, d));
    const sum = counts.reduce((a, b) => a + b, 0);
    if (sum <= remaining) {
      parties.forEach((p, i) => (p.seats += counts[i]!));
      remaining -= sum;
    }
  }
  if (remaining > 0) {
    const heap = parties.slice();
    for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(heap, i, order);
    for (; remaining > 0; remaining--) {
      heap[0]!.seats++;
      siftDown(heap, 0, order);
    }
  }
}

/**
 * Divides `total` seats by `weights` from scratch (no initial seats), the way Karmada's
 * Dispenser.TakeByWeight does; returns name → seats for every weighted party.
 */
export function websterDivide(total: number, weights: ReadonlyMap<string, number>, order: NameOrder): Map<string, number> {
  const parties: Party[] = [...weights].map(([name, votes]) => ({ name, votes, seats: 0 }));
  distribute(total, parties, order);
  return new Map(parties.map((p) => [p.name, p.seats]));
}
