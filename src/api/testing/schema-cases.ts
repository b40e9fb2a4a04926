/**
 * Shared table runner for the per-group schema tests: every GOOD example of the group passes its
 * kind's schema, every BAD one fails with a cause at the expected field. Test code only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { schemaCauses } from '../causes.js';
import { FLOTILLA_RESOURCES } from '../crds.js';
import { BAD, GOOD } from './examples.js';

export function schemaOf(kind: string) {
  const r = FLOTILLA_RESOURCES.find((x) => x.kind === kind);
  assert.ok(r, `no resource for kind ${kind}`);
  return r.schema;
}

export function runSchemaCases(group: string): void {
  const inGroup = (e: { obj: { apiVersion: string } }) => e.obj.apiVersion.startsWith(`${group}/`);
  const good = GOOD.filter(inGroup);
  const bad = BAD.filter(inGroup);
  assert.ok(good.length > 0, `no good examples for ${group}`);
  for (const e of good) {
    test(`accepts: ${e.name}`, () => {
      assert.deepEqual(schemaCauses(schemaOf(e.obj.kind), e.obj), []);
    });
  }
  for (const e of bad) {
    test(`rejects: ${e.name}`, () => {
      const causes = schemaCauses(schemaOf(e.obj.kind), e.obj);
      assert.ok(
        causes.some((c) => c.field === e.field),
        `expected a cause at ${e.field}, got ${JSON.stringify(causes)}`,
      );
    });
  }
}
