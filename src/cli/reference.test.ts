import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildProgram } from './program.js';
import { durationText, renderReference } from './reference.js';

const DOC = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'docs', 'cli.md');

test('docs/cli.md is what the CLI definitions generate (run: node --import tsx scripts/gen-cli-reference.ts)', () => {
  assert.equal(readFileSync(DOC, 'utf8'), renderReference(buildProgram()));
});

test('the reference covers every command and flag', () => {
  const doc = renderReference(buildProgram());
  for (const heading of ['## flotilla get', '## flotilla top clusters', '## flotilla sim fault', '## flotilla completion']) assert.ok(doc.includes(`${heading}\n`), heading);
  assert.match(doc, /\| `--request-timeout <duration>` \| how long each member cluster may take \| `10s` \|/);
  assert.match(doc, /\| `-o, --output <format>` \| output format; one of wide, yaml, json, name \| {2}\|/);
  assert.match(doc, /\| `--cluster <name>` \(required\) \|/);
});

test('durations read as typed', () => {
  assert.equal(durationText(2000), '2s');
  assert.equal(durationText(90_000), '90s');
  assert.equal(durationText(600_000), '10m');
  assert.equal(durationText(3_600_000), '1h');
  assert.equal(durationText(250), '250ms');
});
