/**
 * The one conformance suite every Store backend runs (memory, sqlite, etcd):
 *
 *   runStoreConformance('sqlite', async () => { ...; return { store, cleanup } });
 *
 * Each test opens a fresh, empty store and cleans it up. Tests assert revisions relative to the
 * store's own, except that a never-written store is at revision 0.
 */
import { describe } from 'node:test';
import type { ConformanceOptions, OpenStore } from './conformance-util.js';
import { makeSuite } from './conformance-util.js';
import { kvTests } from './conformance-kv.js';
import { listTests } from './conformance-list.js';
import { compactionTests } from './conformance-compaction.js';
import { watchTests } from './conformance-watch.js';
import { concurrencyTests } from './conformance-concurrency.js';
import { modelTests } from './conformance-model.js';

export type { ConformanceOptions, OpenStore } from './conformance-util.js';

export function runStoreConformance(name: string, open: OpenStore, opts: ConformanceOptions = {}): void {
  const suite = makeSuite(open, opts);
  describe(`${name}: Store conformance`, () => {
    describe('keys and revisions', () => kvTests(suite));
    describe('list and count', () => listTests(suite));
    describe('compaction', () => compactionTests(suite));
    describe('watch', () => watchTests(suite));
    describe('concurrency', () => concurrencyTests(suite));
    describe('against a model', () => modelTests(suite));
  });
}
