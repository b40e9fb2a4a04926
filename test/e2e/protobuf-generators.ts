/**
 * The `kubectl create <generator>` commands whose protobuf bodies Flotilla must read, with the
 * flags users typically pass. Shared by the e2e test and by the fixture capture tool, so the
 * unit-test fixtures come from exactly the commands the e2e test runs.
 */
import { join } from 'node:path';

export interface Generator {
  /** Fixture key. */
  name: string;
  /** kubectl arguments after `create`; `{dir}` is replaced by the server's data directory. */
  args: string[];
  /** What to read back: resource and object name (namespaced ones live in "default"). */
  get: [resource: string, name: string];
  /** False keeps the body out of the committed fixtures (it would carry a private key). */
  fixture?: false;
}

export const GENERATORS: Generator[] = [
  { name: 'namespace', args: ['namespace', 'team-a'], get: ['namespace', 'team-a'] },
  { name: 'configmap', args: ['configmap', 'cm', '--from-literal=k=v', '--from-literal=other=2'], get: ['configmap', 'cm'] },
  { name: 'secret-generic', args: ['secret', 'generic', 's', '--from-literal=a=b', '--from-literal=pw=s3cr3t'], get: ['secret', 's'] },
  {
    name: 'secret-tls',
    args: ['secret', 'tls', 'tls', '--cert={dir}/pki/ca.crt', '--key={dir}/pki/ca.key'],
    get: ['secret', 'tls'],
    fixture: false,
  },
  {
    name: 'secret-docker-registry',
    args: ['secret', 'docker-registry', 'reg', '--docker-server=r.example.com', '--docker-username=u', '--docker-password=p', '--docker-email=u@example.com'],
    get: ['secret', 'reg'],
  },
  { name: 'deployment', args: ['deployment', 'web', '--image=nginx', '--replicas=3', '--port=80'], get: ['deployment', 'web'] },
  { name: 'service-clusterip', args: ['service', 'clusterip', 'cip', '--tcp=80:8080'], get: ['service', 'cip'] },
  { name: 'service-nodeport', args: ['service', 'nodeport', 'np', '--tcp=80:8080'], get: ['service', 'np'] },
  { name: 'service-loadbalancer', args: ['service', 'loadbalancer', 'lb', '--tcp=443:8443'], get: ['service', 'lb'] },
  { name: 'service-externalname', args: ['service', 'externalname', 'ext', '--external-name=db.example.com'], get: ['service', 'ext'] },
  { name: 'serviceaccount', args: ['serviceaccount', 'sa'], get: ['serviceaccount', 'sa'] },
  { name: 'job', args: ['job', 'j', '--image=busybox', '--', 'echo', 'hi'], get: ['job', 'j'] },
  { name: 'cronjob', args: ['cronjob', 'c', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'], get: ['cronjob', 'c'] },
  { name: 'role', args: ['role', 'r', '--verb=get', '--verb=list', '--resource=pods', '--resource=deployments.apps'], get: ['role', 'r'] },
  { name: 'rolebinding', args: ['rolebinding', 'rb', '--role=r', '--user=u', '--serviceaccount=default:sa'], get: ['rolebinding', 'rb'] },
  { name: 'clusterrole', args: ['clusterrole', 'cr', '--verb=get', '--resource=pods', '--non-resource-url=/healthz'], get: ['clusterrole', 'cr'] },
  {
    name: 'clusterrole-aggregated',
    args: ['clusterrole', 'agg', '--aggregation-rule=rbac.example.com/aggregate-to-monitoring=true'],
    get: ['clusterrole', 'agg'],
  },
  { name: 'clusterrolebinding', args: ['clusterrolebinding', 'crb', '--clusterrole=cr', '--user=u', '--group=g'], get: ['clusterrolebinding', 'crb'] },
  { name: 'quota', args: ['quota', 'q', '--hard=pods=10,requests.cpu=500m,limits.memory=1Gi'], get: ['resourcequota', 'q'] },
  { name: 'priorityclass', args: ['priorityclass', 'pc', '--value=1000', '--description=high priority'], get: ['priorityclass', 'pc'] },
  { name: 'poddisruptionbudget', args: ['poddisruptionbudget', 'p', '--selector=app=x', '--min-available=1'], get: ['poddisruptionbudget', 'p'] },
  { name: 'ingress', args: ['ingress', 'i', '--rule=foo.com/bar=svc:80', '--rule=foo.com/baz*=other:http'], get: ['ingress', 'i'] },
];

/** `kubectl create ...` for g; extra flags go before any `--` so they do not become the container command. */
export function generatorArgs(g: Generator, dir: string, extra: string[] = []): string[] {
  const args = g.args.map((a) => a.replaceAll('{dir}', dir));
  const dash = args.indexOf('--');
  return dash < 0 ? ['create', ...args, ...extra] : ['create', ...args.slice(0, dash), ...extra, ...args.slice(dash)];
}

export const FIXTURES = join(import.meta.dirname, '..', '..', 'src', 'apiserver', 'protobuf', 'testdata', 'kubectl.json');
