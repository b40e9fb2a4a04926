import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocateWebsterSeats, fnv1a32, nameOrderForUID, websterDivide, type NameOrder, type Party } from './webster.js';

const seats = (ps: Party[]) => Object.fromEntries(ps.map((p) => [p.name, p.seats]));
const parties = (votes: Record<string, number>, initial: Record<string, number> = {}): Party[] => {
  const names = new Set([...Object.keys(initial), ...Object.keys(votes)]);
  return [...names].map((name) => ({ name, votes: votes[name] ?? 0, seats: initial[name] ?? 0 }));
};

describe('allocateWebsterSeats (Karmada webstermethod_test.go)', () => {
  // The Sainte-Laguë example from Wikipedia: 230,000 voters, 8 seats, after each round.
  const wiki = { PartyA: 100000, PartyB: 80000, PartyC: 30000, PartyD: 20000 };
  const rounds: [number, number[]][] = [
    [1, [1, 0, 0, 0]],
    [2, [1, 1, 0, 0]],
    [3, [2, 1, 0, 0]],
    [4, [2, 1, 1, 0]],
    [5, [2, 2, 1, 0]],
    [6, [2, 2, 1, 1]],
    [7, [3, 2, 1, 1]],
    [8, [3, 3, 1, 1]],
  ];
  for (const [n, want] of rounds) {
    it(`classic example, round ${n}`, () => {
      assert.deepEqual(Object.values(seats(allocateWebsterSeats(n, parties(wiki)))), want);
    });
  }

  it('example: 4 seats for 1200/900/400', () => {
    assert.deepEqual(seats(allocateWebsterSeats(4, parties({ Alpha: 1200, Beta: 900, Gamma: 400 }))), { Alpha: 2, Beta: 1, Gamma: 1 });
  });
  it('no parties, no result', () => assert.deepEqual(allocateWebsterSeats(1, []), []));
  it('0 new seats leaves everyone at 0', () => {
    assert.deepEqual(seats(allocateWebsterSeats(0, parties({ PartyA: 100, PartyB: 200 }))), { PartyA: 0, PartyB: 0 });
  });
  it('equal priority: fewer seats wins', () => {
    // A: 3/(2·1+1) = 1, B: 1/1 = 1; B has fewer seats.
    assert.deepEqual(seats(allocateWebsterSeats(1, parties({ PartyA: 3, PartyB: 1 }, { PartyA: 1, PartyB: 0 }))), { PartyA: 1, PartyB: 1 });
  });
  it('equal priority and seats: the smaller name by default', () => {
    assert.deepEqual(seats(allocateWebsterSeats(1, parties({ PartyA: 1, PartyB: 1 }))), { PartyA: 1, PartyB: 0 });
  });
  it('equal priority and seats: the larger name when the tie-breaker says so', () => {
    assert.deepEqual(seats(allocateWebsterSeats(1, parties({ PartyA: 1, PartyB: 1 }), 'larger-first')), { PartyA: 0, PartyB: 1 });
  });
  it('a party with initial seats but no votes keeps its seats and gets no more', () => {
    assert.deepEqual(seats(allocateWebsterSeats(2, parties({ NewParty1: 1, NewParty2: 1 }, { OldParty: 0 }))), { NewParty1: 1, NewParty2: 1, OldParty: 0 });
    assert.deepEqual(seats(allocateWebsterSeats(2, parties({ PartyA: 100 }, { PartyB: 3 }))), { PartyA: 2, PartyB: 3 });
  });
  it('initial seats count in the priority', () => {
    assert.deepEqual(seats(allocateWebsterSeats(2, parties({ OldParty: 1, NewParty: 1 }, { OldParty: 1 }))), { NewParty: 2, OldParty: 1 });
  });
  it('returns parties sorted by name', () => {
    assert.deepEqual(allocateWebsterSeats(3, parties({ c: 1, a: 1, b: 1 })).map((p) => p.name), ['a', 'b', 'c']);
  });
});

describe('websterDivide: the documented static-weight results', () => {
  const w = (o: Record<string, number>) => new Map(Object.entries(o));
  const table: [number, Record<string, number>, Record<string, number>][] = [
    [12, { m1: 3, m2: 2, m3: 1 }, { m1: 6, m2: 4, m3: 2 }],
    [13, { m1: 3, m2: 2, m3: 1 }, { m1: 7, m2: 4, m3: 2 }],
    [14, { m1: 3, m2: 2, m3: 1 }, { m1: 7, m2: 5, m3: 2 }],
    [1, { m1: 2, m2: 1 }, { m1: 1, m2: 0 }],
    [2, { m1: 2, m2: 1 }, { m1: 1, m2: 1 }],
    [3, { m1: 2, m2: 1 }, { m1: 2, m2: 1 }],
  ];
  for (const [n, weights, want] of table) {
    it(`${n} replicas at ${Object.values(weights).join(':')}`, () => assert.deepEqual(Object.fromEntries(websterDivide(n, w(weights), 'smaller-first')), want));
  }
  it('is house-monotone: raising the total never lowers a cluster', () => {
    const weights = w({ a: 7, b: 5, c: 3, d: 1 });
    let prev = websterDivide(0, weights, 'smaller-first');
    for (let n = 1; n <= 200; n++) {
      const next = websterDivide(n, weights, 'smaller-first');
      for (const [k, v] of prev) assert.ok(next.get(k)! >= v, `${k} lost a seat at ${n}`);
      prev = next;
    }
  });
});

describe('tie-break by the workload UID', () => {
  it('FNV-1a 32 matches the reference vectors', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  });
  it('odd hash: larger name first; even hash or no UID: smaller name first', () => {
    assert.equal(nameOrderForUID(undefined), 'smaller-first');
    assert.equal(nameOrderForUID(''), 'smaller-first');
    assert.equal(nameOrderForUID('a'), 'smaller-first'); // 0xe40c292c is even
    assert.equal(nameOrderForUID('uid-2'), 'smaller-first'); // 0x51c45bd6
    assert.equal(nameOrderForUID('uid-1'), 'larger-first'); // 0x50c45a43 is odd
  });
  it('decides which of two equal clusters gets the odd replica', () => {
    const eq = new Map([
      ['member1', 1],
      ['member2', 1],
    ]);
    assert.deepEqual(Object.fromEntries(websterDivide(3, eq, 'smaller-first')), { member1: 2, member2: 1 });
    assert.deepEqual(Object.fromEntries(websterDivide(3, eq, 'larger-first')), { member1: 1, member2: 2 });
  });
});

describe('large counts', () => {
  // The straightforward one-seat-at-a-time method, to check the threshold shortcut against.
  function naive(n: number, ps: Party[], order: NameOrder): Record<string, number> {
    const s = ps.map((p) => ({ ...p }));
    for (let i = 0; i < n; i++) {
      let best = s[0]!;
      for (const p of s.slice(1)) {
        const a = p.votes / (2 * p.seats + 1);
        const b = best.votes / (2 * best.seats + 1);
        if (a > b || (a === b && (p.seats < best.seats || (p.seats === best.seats && (order === 'larger-first' ? p.name > best.name : p.name < best.name))))) best = p;
      }
      best.seats++;
    }
    return Object.fromEntries(s.map((p) => [p.name, p.seats]));
  }

  it('the threshold shortcut gives the same seats as one-at-a-time', () => {
    let seed = 42;
    const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % k);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rnd(12);
      const ps: Party[] = Array.from({ length: n }, (_, i) => ({ name: `c${String(i).padStart(2, '0')}`, votes: rnd(4) === 0 ? 10 : rnd(50), seats: 0 }));
      if (trial % 3 === 0) ps.forEach((p) => (p.seats = rnd(5)));
      const total = rnd(400);
      const order: NameOrder = trial % 2 ? 'larger-first' : 'smaller-first';
      const want = naive(total, ps, order);
      assert.deepEqual(seats(allocateWebsterSeats(total, ps.map((p) => ({ ...p })), order)), want, `trial ${trial}`);
    }
  });

  it('divides a million replicas over 100 clusters without handing them out one by one', () => {
    const weights = new Map(Array.from({ length: 100 }, (_, i) => [`c${i}`, i + 1]));
    const out = websterDivide(1_000_000, weights, 'smaller-first');
    assert.equal([...out.values()].reduce((a, b) => a + b, 0), 1_000_000);
    // Webster is within one seat of the exact quota here.
    assert.ok(Math.abs(out.get('c99')! - (100 * 1_000_000) / 5050) < 1);
  });
});
