import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { StatusError } from '../errors.js';
import { decodeProtobufObject } from './decode.js';
import { encodeObject, envelope } from './testutil.js';

/** Go writes `creationTimestamp: null` for the zero Time; the decoder leaves it out on purpose. */
function withoutNullCreationTimestamps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNullCreationTimestamps);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(v)) if (!(k === 'creationTimestamp' && e === null)) out[k] = withoutNullCreationTimestamps(e);
  return out;
}

function expectStatus(fn: () => unknown, code: number, message?: RegExp): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${e}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail('expected the decoder to throw');
}

describe('bodies captured from the real kubectl', () => {
  // Regenerate with: node --import tsx test/e2e/protobuf-capture.ts
  const fixtures: Record<string, { args: string[]; body: string; goJSON: unknown }> = JSON.parse(
    readFileSync(join(import.meta.dirname, 'testdata', 'kubectl.json'), 'utf8'),
  );

  test('the fixtures cover the create generators', () => {
    assert.ok(Object.keys(fixtures).length >= 20, Object.keys(fixtures).join(','));
  });

  for (const [name, f] of Object.entries(fixtures)) {
    test(`kubectl create ${f.args.join(' ')} decodes to what kubectl --dry-run=client -o json prints`, () => {
      const got = decodeProtobufObject(Buffer.from(f.body, 'base64'));
      const want = withoutNullCreationTimestamps(f.goJSON);
      assert.deepEqual(got, want, name);
      // Same key order too: fields come out in Go struct order, map keys sorted.
      assert.equal(JSON.stringify(got), JSON.stringify(want));
    });
  }
});

describe('value conversions', () => {
  const configMap = (metadata: Record<string, unknown>) => decodeProtobufObject(encodeObject('v1', 'ConfigMap', { metadata })).metadata;

  test('Time becomes RFC 3339 at second precision; a zero value-Time is left out', () => {
    const m = configMap({ name: 'a', creationTimestamp: { seconds: 1717243200, nanos: 999 }, deletionTimestamp: { seconds: 1717243261 } });
    assert.equal(m.creationTimestamp, '2024-06-01T12:00:00Z');
    assert.equal(m.deletionTimestamp, '2024-06-01T12:01:01Z');
    assert.equal('creationTimestamp' in configMap({ name: 'a', creationTimestamp: {} }), false);
  });

  test('a zero Time without omitempty (metav1.Condition.lastTransitionTime) is null, as Go writes it', () => {
    const pdb = decodeProtobufObject(
      encodeObject('policy/v1', 'PodDisruptionBudget', {
        metadata: { name: 'p' },
        spec: {},
        status: { conditions: [{ type: 'DisruptionAllowed', status: 'False', lastTransitionTime: {} }] },
      }),
    );
    assert.deepEqual(pdb.status.conditions, [{ type: 'DisruptionAllowed', status: 'False', lastTransitionTime: null, reason: '', message: '' }]);
  });

  test('int64 fields become numbers, including past 2^32', () => {
    const m = configMap({ name: 'a', generation: 5_000_000_000, deletionGracePeriodSeconds: 0 });
    assert.equal(m.generation, 5_000_000_000);
    // A pointer keeps its zero.
    assert.equal(m.deletionGracePeriodSeconds, 0);
  });

  test('managedFields carry FieldsV1 as the raw JSON object', () => {
    const m = configMap({
      name: 'a',
      managedFields: [
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          apiVersion: 'v1',
          time: { seconds: 1717243200 },
          fieldsType: 'FieldsV1',
          fieldsV1: { Raw: Buffer.from('{"f:data":{".":{},"f:k":{}}}') },
        },
      ],
    });
    assert.deepEqual(m.managedFields, [
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2024-06-01T12:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:k': {} } },
      },
    ]);
  });

  test('map keys come out sorted, as Go writes them', () => {
    const m = configMap({ name: 'a', labels: { b: '2', c: '3', a: '1' } });
    assert.deepEqual(Object.keys(m.labels), ['a', 'b', 'c']);
  });

  test('IntOrString is a number or a string by its type', () => {
    const svc = decodeProtobufObject(
      encodeObject('v1', 'Service', {
        metadata: { name: 's' },
        spec: {
          ports: [
            { port: 80, targetPort: { type: 0, intVal: 8080 } },
            { port: 443, targetPort: { type: 1, strVal: 'https' } },
          ],
        },
        status: {},
      }),
    );
    assert.deepEqual(
      svc.spec.ports.map((p: any) => p.targetPort),
      [8080, 'https'],
    );
  });
});

describe('bad input', () => {
  test('a body without the k8s\\0 prefix is a 400', () => {
    expectStatus(() => decodeProtobufObject(Buffer.from('{"kind":"ConfigMap"}')), 400, /k8s\\x00/);
    expectStatus(() => decodeProtobufObject(Buffer.alloc(0)), 400);
  });

  test('a truncated or corrupt message is a 400, never another error', () => {
    const good = encodeObject('apps/v1', 'Deployment', { metadata: { name: 'web', labels: { app: 'web' } }, spec: {}, status: {} });
    for (let n = 5; n < good.length; n++) {
      try {
        decodeProtobufObject(good.subarray(0, n));
      } catch (e) {
        assert.ok(e instanceof StatusError && e.code === 400, `cut at ${n}: ${e}`);
      }
    }
    expectStatus(() => decodeProtobufObject(Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0f, 0xff, 0xff])])), 400, /protobuf/);
  });

  test('random bytes after the prefix only ever give a StatusError', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const inner = encodeObject('v1', 'Secret', { metadata: { name: 's' }, data: { a: Buffer.from('b') } });
    for (let i = 0; i < 2000; i++) {
      const buf = Buffer.from(inner);
      // Flip a few bytes past the prefix.
      for (let j = 0; j < 3; j++) buf[4 + Math.floor(rand() * (buf.length - 4))] = Math.floor(rand() * 256);
      try {
        decodeProtobufObject(buf);
      } catch (e) {
        assert.ok(e instanceof StatusError, `mutation ${i}: ${(e as Error).stack}`);
      }
    }
  });

  test('a kind without a schema is a 415 that names it', () => {
    const e = expectStatus(() => decodeProtobufObject(envelope({ typeMeta: { apiVersion: 'apps/v1', kind: 'StatefulSet' }, raw: Buffer.alloc(0) })), 415);
    assert.match(e.message, /StatefulSet \(apps\/v1\)/);
    assert.equal(e.reason, 'UnsupportedMediaType');
  });

  test('an envelope without apiVersion/kind is a 400', () => {
    expectStatus(() => decodeProtobufObject(envelope({ raw: Buffer.alloc(0) })), 400, /Kind/);
  });

  test('an encoded (compressed) raw body is a 415', () => {
    expectStatus(() => decodeProtobufObject(envelope({ typeMeta: { apiVersion: 'v1', kind: 'ConfigMap' }, raw: Buffer.alloc(0), contentEncoding: 'gzip' })), 415);
  });

  test('a time outside what RFC 3339 can express is a 400', () => {
    expectStatus(() => decodeProtobufObject(encodeObject('v1', 'ConfigMap', { metadata: { name: 'a', creationTimestamp: { seconds: 400_000_000_000 } } })), 400);
  });

  test('FieldsV1 that is not JSON is a 400', () => {
    const body = encodeObject('v1', 'ConfigMap', { metadata: { name: 'a', managedFields: [{ manager: 'm', fieldsV1: { Raw: Buffer.from('{not json') } }] } });
    expectStatus(() => decodeProtobufObject(body), 400, /JSON/);
  });
});
