/**
 * Regenerates src/apiserver/protobuf/testdata/kubectl.json: for every generator, the exact protobuf
 * body the real kubectl sends, and the JSON kubectl prints for the same command with
 * `--dry-run=client -o json` (Go's encoding/json of the same typed object, the decoder's oracle).
 *
 *   node --import tsx test/e2e/protobuf-capture.ts
 *
 * kubectl talks to a plain-HTTP recording proxy in front of `flotilla apiserver`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Agent, request } from 'undici';
import { runKubectl, startApiServer } from './harness.js';
import { FIXTURES, GENERATORS, generatorArgs } from './protobuf-generators.js';

const read = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

const s = await startApiServer();
try {
  const token = readFileSync(join(s.dir, 'admin.token'), 'utf8').trim();
  const dispatcher = new Agent({ connect: { ca: readFileSync(join(s.dir, 'pki', 'ca.crt'), 'utf8') } });
  let last: Buffer | undefined;
  const proxy = createServer(async (req, res) => {
    const body = await read(req);
    if (req.method === 'POST' && (req.headers['content-type'] ?? '').startsWith('application/vnd.kubernetes.protobuf')) last = body;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
    headers.authorization = `Bearer ${token}`;
    const up = await request(s.url + req.url, { method: req.method as 'GET', headers, body: body.length ? body : undefined, dispatcher });
    const out = Buffer.from(await up.body.arrayBuffer());
    const respHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(up.headers)) if (typeof v === 'string' && k !== 'transfer-encoding' && k !== 'connection') respHeaders[k] = v;
    res.writeHead(up.statusCode, respHeaders).end(out);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as { port: number }).port;
  const kubeconfig = join(s.dir, 'proxy.kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: p, cluster: {server: "http://127.0.0.1:${port}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: c, context: {cluster: p, user: u, namespace: default}}]\ncurrent-context: c\n`,
  );
  const fixtures: Record<string, unknown> = {};
  for (const g of GENERATORS.filter((x) => x.fixture !== false)) {
    const args = generatorArgs(g, s.dir);
    const dry = await runKubectl(kubeconfig, join(s.dir, 'cache'), generatorArgs(g, s.dir, ['--dry-run=client', '-o', 'json']));
    if (dry.code !== 0) throw new Error(`${g.name} dry-run: ${dry.stderr}`);
    last = undefined;
    const real = await runKubectl(kubeconfig, join(s.dir, 'cache'), args);
    if (!last) throw new Error(`${g.name}: kubectl sent no protobuf body (${real.stderr})`);
    fixtures[g.name] = { args: g.args, body: (last as Buffer).toString('base64'), goJSON: JSON.parse(dry.stdout) };
    process.stdout.write(`${g.name}: ${(last as Buffer).length} bytes, create exit ${real.code}\n`);
  }
  mkdirSync(dirname(FIXTURES), { recursive: true });
  writeFileSync(FIXTURES, JSON.stringify(fixtures, null, 1) + '\n');
  proxy.close();
} finally {
  await s.cleanup();
}
