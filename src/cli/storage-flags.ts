/** Storage flags shared by `flotilla apiserver` and `flotilla up`: --storage and the etcd connection. */
import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Store } from '../apiserver/storage/store.js';

export function storageFlags(cmd: Command, defaultKind = 'sqlite'): Command {
  return cmd
    .addOption(new Option('--storage <kind>', 'storage backend (etcd: several API servers share one etcd cluster)').choices(['sqlite', 'memory', 'etcd']).default(defaultKind))
    .option('--etcd-endpoints <urls>', 'etcd client URLs, comma-separated (with --storage etcd)', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--etcd-cafile <file>', 'CA bundle that signed the etcd serving certificates')
    .option('--etcd-certfile <file>', 'client certificate for etcd (its --client-cert-auth)')
    .option('--etcd-keyfile <file>', 'key of --etcd-certfile')
    .option('--etcd-prefix <prefix>', 'prefix of every key Flotilla writes to etcd', '/flotilla');
}

export interface StorageFlagValues {
  storage: 'sqlite' | 'memory' | 'etcd';
  etcdEndpoints?: string[];
  etcdCafile?: string;
  etcdCertfile?: string;
  etcdKeyfile?: string;
  etcdPrefix: string;
}

/**
 * What ApiServerOptions.storage gets. For etcd this connects first, waiting up to 60 s for etcd
 * to answer (API servers and etcd often start together), so a wrong endpoint fails at start.
 */
export async function openStorage(o: StorageFlagValues, log: Logger): Promise<'sqlite' | 'memory' | Store> {
  const etcdFlag = o.etcdEndpoints ?? o.etcdCafile ?? o.etcdCertfile ?? o.etcdKeyfile;
  if (o.storage !== 'etcd') {
    if (etcdFlag !== undefined) throw new Error('--etcd-* flags need --storage etcd');
    return o.storage;
  }
  if (!o.etcdEndpoints?.length) throw new Error('--storage etcd needs --etcd-endpoints URL[,URL...]');
  if (!o.etcdCertfile !== !o.etcdKeyfile) throw new Error('--etcd-certfile and --etcd-keyfile go together');
  const { EtcdStore } = await import('../apiserver/storage/etcd.js');
  log.info({ endpoints: o.etcdEndpoints, prefix: o.etcdPrefix, tls: !!(o.etcdCafile || o.etcdCertfile) }, 'connecting to etcd');
  return EtcdStore.open(
    {
      endpoints: o.etcdEndpoints,
      prefix: o.etcdPrefix,
      ca: o.etcdCafile ? readFileSync(o.etcdCafile) : undefined,
      cert: o.etcdCertfile ? readFileSync(o.etcdCertfile) : undefined,
      key: o.etcdKeyfile ? readFileSync(o.etcdKeyfile) : undefined,
    },
    60_000,
  );
}
