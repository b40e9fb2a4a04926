import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, type LoggerOptions } from './logger.js';

function capture(options: LoggerOptions = {}) {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'debug', ...options, destination: { write: (s) => void lines.push(JSON.parse(s)) } });
  return { log, lines };
}

describe('createLogger', () => {
  it('writes one JSON line per event with an ISO time, level name, name and bindings', () => {
    const { log, lines } = capture({ name: 'flotilla' });
    log.child({ controller: 'binding' }).info({ key: 'ns/a' }, 'reconciled');
    assert.equal(lines.length, 1);
    const line = lines[0]!;
    assert.equal(line['level'], 'info');
    assert.equal(line['name'], 'flotilla');
    assert.equal(line['controller'], 'binding');
    assert.equal(line['key'], 'ns/a');
    assert.equal(line['msg'], 'reconciled');
    assert.match(String(line['time']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts tokens, passwords and authorization headers', () => {
    const { log, lines } = capture();
    log.info(
      {
        token: 't0',
        req: { headers: { authorization: 'Bearer a', host: 'h' } },
        request: { headers: { authorization: 'Bearer b', cookie: 'c' } },
        options: { token: 't1', password: 'p', user: 'alice' },
        kubeconfig: { user: { token: 't2', 'client-key-data': 'k' } },
      },
      'x',
    );
    const out = JSON.stringify(lines[0]);
    for (const secret of ['t0', 'Bearer a', 'Bearer b', '"c"', 't1', '"p"', 't2', '"k"']) {
      assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    }
    assert.ok(out.includes('alice') && out.includes('"host":"h"'), 'other fields stay');
  });

  it("redacts a Secret's data (keeping its keys) but not a ConfigMap's", () => {
    const { log, lines } = capture();
    log.info(
      {
        obj: { kind: 'Secret', metadata: { name: 's' }, data: { password: 'c2VjcmV0' }, stringData: { tok: 'plain' } },
        manifest: { kind: 'ConfigMap', data: { color: 'blue' } },
        secret: { data: { a: 'x' } },
      },
      'x',
    );
    const line = lines[0]!;
    assert.deepEqual(line['obj'], {
      kind: 'Secret',
      metadata: { name: 's' },
      data: { password: '[Redacted]' },
      stringData: { tok: '[Redacted]' },
    });
    assert.deepEqual(line['manifest'], { kind: 'ConfigMap', data: { color: 'blue' } });
    assert.equal((line['secret'] as Record<string, unknown>)['data'], '[Redacted]');
  });

  it('logs errors by type, message, code and cause only', () => {
    const { log, lines } = capture();
    const cause = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    const err = Object.assign(new TypeError('request failed', { cause }), {
      statusCode: 503,
      request: { headers: { authorization: 'Bearer leak' } },
    });
    log.error({ err }, 'failed');
    log.error(err, 'failed again');
    for (const line of lines) {
      const e = line['err'] as Record<string, unknown>;
      assert.equal(e['type'], 'TypeError');
      assert.equal(e['message'], 'request failed');
      assert.equal(e['statusCode'], 503);
      assert.deepEqual(Object.keys(e['cause'] as object).sort(), ['code', 'message', 'stack', 'type']);
      assert.ok(!JSON.stringify(line).includes('leak'));
    }
  });

  it('takes the level from FLOTILLA_LOG_LEVEL, is silent under node --test, and rejects unknown levels', () => {
    const saved = process.env['FLOTILLA_LOG_LEVEL'];
    try {
      process.env['FLOTILLA_LOG_LEVEL'] = 'warn';
      assert.equal(createLogger().level, 'warn');
      delete process.env['FLOTILLA_LOG_LEVEL'];
      assert.equal(createLogger().level, process.env['NODE_TEST_CONTEXT'] ? 'silent' : 'info');
      assert.equal(createLogger({ level: 'debug' }).level, 'debug');
      assert.throws(() => createLogger({ level: 'verbose' }), /not one of/);
    } finally {
      if (saved === undefined) delete process.env['FLOTILLA_LOG_LEVEL'];
      else process.env['FLOTILLA_LOG_LEVEL'] = saved;
    }
  });
});
