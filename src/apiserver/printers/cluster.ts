/**
 * Printers for networking, discovery, coordination, rbac, storage, scheduling, node,
 * admission, certificates and flow control.
 */
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import type { RuntimeClass } from 'kubernetes-types/node/v1.js';
import type { ClusterRoleBinding, RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { CSIDriver, CSINode, StorageClass, VolumeAttachment } from 'kubernetes-types/storage/v1.js';
import { humanDuration } from './age.js';
import { loadBalancerIngress } from './core.js';
import { ageCol, bool, integer, nameCol, printer, str, wide } from './define.js';
import { formatLabelSelector, int, joinComma, listWithMore } from './format.js';
import { canonicalQuantity } from './quantity.js';
import type { Printer } from './types.js';

// ---------------------------------------------------------------- networking

/** HOSTS of an ingress: up to three rule hosts, "*" when none is set. */
export function ingressHosts(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const text = list.join(',');
  return more ? `${text} + ${rules.length - max} more...` : text;
}

const ingresses = printer<Ingress>([
  nameCol(),
  str('Class', 'The name of the IngressClass resource that should be used for additional configuration', (i) => i.spec?.ingressClassName ?? '<none>'),
  str('Hosts', 'Hosts that incoming requests are matched against before the ingress rule', ingressHosts),
  str('Address', 'Address is a list containing ingress points for the load-balancer', (i) => loadBalancerIngress(i.status?.loadBalancer?.ingress)),
  str('Ports', 'Ports of TLS configurations that open', (i) => ((i.spec?.tls ?? []).length > 0 ? '80, 443' : '80')),
  ageCol(),
]);

const ingressClasses = printer<IngressClass>([
  nameCol(),
  str('Controller', 'Controller that is responsible for handling this class', (c) => c.spec?.controller ?? ''),
  str('Parameters', 'A reference to a resource with additional parameters', (c) => {
    const p = c.spec?.parameters;
    if (!p) return '<none>';
    return `${p.kind}${p.apiGroup !== undefined ? `.${p.apiGroup}` : ''}/${p.name}`;
  }),
  ageCol(),
]);

const networkPolicies = printer<NetworkPolicy>([
  nameCol(),
  str('Pod-Selector', 'Selects the pods to which this NetworkPolicy object applies.', (n) => formatLabelSelector(n.spec?.podSelector)),
  ageCol(),
]);

const endpointSlices = printer<EndpointSlice>([
  nameCol(),
  str('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.', (e) => e.addressType ?? ''),
  str('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.', (e) =>
    listWithMore((e.ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*')))),
  ),
  str('Endpoints', 'endpoints is a list of unique endpoints in this slice.', (e) => listWithMore((e.endpoints ?? []).flatMap((ep) => ep.addresses ?? []))),
  ageCol(),
]);

const serviceCIDRs = printer<any>([
  nameCol(),
  str('CIDRs', 'CIDRs defines the IP blocks in CIDR notation from which to assign service cluster IPs.', (s) => (s.spec?.cidrs ?? []).join(',')),
  ageCol(),
]);

const ipAddresses = printer<any>([
  nameCol(),
  str('ParentRef', 'ParentRef references the resource that an IPAddress is attached to.', (ip) => {
    const r = ip.spec?.parentRef;
    if (!r) return '<none>';
    const gr = (r.group ? `${r.resource ?? ''}.${r.group}` : (r.resource ?? '')).toLowerCase();
    return `${gr}${r.namespace ? `/${r.namespace}` : ''}/${r.name ?? ''}`;
  }),
  ageCol(),
]);

// ---------------------------------------------------------------- coordination

const leases = printer<Lease>([
  nameCol(),
  str('Holder', 'holderIdentity contains the identity of the holder of a current lease.', (l) => l.spec?.holderIdentity ?? ''),
  ageCol(),
]);

// ---------------------------------------------------------------- rbac

/** USERS, GROUPS and SERVICEACCOUNTS (namespace/name) of a binding's subjects. */
export function subjectsStrings(subjects: readonly Subject[] | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return [joinComma(users), joinComma(groups), joinComma(sas)];
}

function bindingPrinter<T extends RoleBinding | ClusterRoleBinding>(what: string): Printer {
  return printer<T>([
    nameCol(),
    str('Role', 'RoleRef can only reference a ClusterRole in the global namespace.', (b) => `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`),
    ageCol(),
    wide(str('Users', `Users in the ${what}`, (b) => subjectsStrings(b.subjects)[0])),
    wide(str('Groups', `Groups in the ${what}`, (b) => subjectsStrings(b.subjects)[1])),
    wide(str('ServiceAccounts', `ServiceAccounts in the ${what}`, (b) => subjectsStrings(b.subjects)[2])),
  ]);
}

// ---------------------------------------------------------------- storage

const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

const storageClasses = printer<StorageClass>([
  nameCol((sc) => {
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => sc.metadata?.annotations?.[a] === 'true');
    return `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`;
  }),
  str('Provisioner', 'provisioner indicates the type of the provisioner.', (sc) => sc.provisioner ?? ''),
  str('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.', (sc) => sc.reclaimPolicy ?? 'Delete'),
  str('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.', (sc) => sc.volumeBindingMode ?? 'Immediate'),
  str('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.', (sc) => sc.allowVolumeExpansion ?? false),
  ageCol(),
]);

const volumeAttributesClasses = printer<any>([
  nameCol((vac) => {
    const isDefault = vac.metadata?.annotations?.['storage.kubernetes.io/is-default-class'] === 'true';
    return `${vac.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`;
  }),
  str('DriverName', 'Name of the CSI driver', (vac) => vac.driverName ?? ''),
  ageCol(),
]);

const csiDrivers = printer<CSIDriver>([
  nameCol(),
  bool('AttachRequired', 'attachRequired indicates this CSI volume driver requires an attach operation.', (d) => d.spec?.attachRequired ?? true),
  bool('PodInfoOnMount', 'podInfoOnMount indicates this CSI volume driver requires additional pod information during mount operations.', (d) => d.spec?.podInfoOnMount ?? false),
  bool('StorageCapacity', 'storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity.', (d) => d.spec?.storageCapacity ?? false),
  str('TokenRequests', 'tokenRequests indicates the CSI driver needs pods\' service account tokens it is mounting volume for to do necessary authentication.', (d) =>
    d.spec?.tokenRequests ? d.spec.tokenRequests.map((t) => t.audience).join(',') : '<unset>',
  ),
  bool('RequiresRepublish', 'requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called.', (d) => d.spec?.requiresRepublish ?? false),
  str('Modes', 'volumeLifecycleModes defines what kind of volumes this CSI volume driver supports.', (d) =>
    (d.spec?.volumeLifecycleModes?.length ? d.spec.volumeLifecycleModes : ['Persistent']).join(','),
  ),
  ageCol(),
]);

const csiNodes = printer<CSINode>([
  nameCol(),
  integer('Drivers', 'Drivers indicates the number of CSI drivers registered on the node', (n) => (n.spec?.drivers ?? []).length),
  ageCol(),
]);

const csiStorageCapacities = printer<any>([
  nameCol(),
  str('StorageClassName', 'storageClassName represents the name of the StorageClass that the reported capacity applies to.', (c) => c.storageClassName ?? ''),
  str('Capacity', 'capacity is the value reported by the CSI driver in its GetCapacityResponse for a GetCapacityRequest.', (c) =>
    c.capacity === undefined ? '<unset>' : canonicalQuantity(c.capacity),
  ),
]);

const volumeAttachments = printer<VolumeAttachment>([
  nameCol(),
  {
    // kube declares this column with format "name" too.
    def: { name: 'Attacher', type: 'string', format: 'name', description: 'attacher indicates the name of the volume driver that MUST handle this request.', priority: 0 },
    cell: (v: VolumeAttachment) => v.spec?.attacher ?? '',
  },
  str('PV', 'persistentVolumeName represents the name of the persistent volume to attach.', (v) => v.spec?.source?.persistentVolumeName ?? ''),
  str('Node', 'nodeName represents the node that the volume should be attached to.', (v) => v.spec?.nodeName ?? ''),
  bool('Attached', 'attached indicates the volume is successfully attached.', (v) => v.status?.attached ?? false),
  ageCol(),
]);

// ---------------------------------------------------------------- scheduling and node

const priorityClasses = printer<PriorityClass>([
  nameCol(),
  integer('Value', 'value represents the integer value of this priority class.', (p) => int(p.value)),
  bool('Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.', (p) => p.globalDefault ?? false),
  ageCol(),
  str('PreemptionPolicy', 'preemptionPolicy is the Policy for preempting pods with lower priority.', (p) => p.preemptionPolicy ?? 'PreemptLowerPriority'),
]);

const runtimeClasses = printer<RuntimeClass>([
  nameCol(),
  str('Handler', 'handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class.', (r) => r.handler ?? ''),
  ageCol(),
]);

// ---------------------------------------------------------------- admission

const webhookConfigurations = printer<any>([
  nameCol(),
  integer('Webhooks', 'Webhooks indicates the number of webhooks registered in this configuration', (w) => (w.webhooks ?? []).length),
  ageCol(),
]);

function admissionPolicyPrinter(countName: 'Validations' | 'Mutations', key: 'validations' | 'mutations', description: string): Printer {
  return printer<any>([
    nameCol(),
    integer(countName, description, (p) => (p.spec?.[key] ?? []).length),
    str('ParamKind', 'ParamKind specifies the kind of resources used to parameterize this policy', (p) => {
      const k = p.spec?.paramKind;
      return k ? `${k.apiVersion ?? ''}/${k.kind ?? ''}` : '<unset>';
    }),
    ageCol(),
  ]);
}

const admissionPolicyBindings = printer<any>([
  nameCol(),
  str('PolicyName', 'PolicyName indicates the policy definition which the policy binding binded to', (b) => b.spec?.policyName ?? ''),
  str('ParamRef', 'ParamRef indicates the param resource which sets the configration param', (b) => {
    const r = b.spec?.paramRef;
    if (!r) return '<unset>';
    if (r.name) return r.namespace ? `${r.namespace}/${r.name}` : `*/${r.name}`;
    if (r.selector) return formatLabelSelector(r.selector);
    return '<unset>';
  }),
  ageCol(),
]);

// ---------------------------------------------------------------- certificates

/** CONDITION of a CSR: Denied/Approved/Pending, plus ",Failed" and ",Issued". */
export function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (csr.status?.certificate) s += ',Issued';
  return s;
}

const certificateSigningRequests = printer<CertificateSigningRequest>([
  nameCol(),
  ageCol(),
  str('SignerName', 'Requested signer for the request.', (c) => c.spec?.signerName || '<none>'),
  str('Requestor', 'Information about the requesting user.', (c) => c.spec?.username ?? ''),
  str('RequestedDuration', 'expirationSeconds is the requested duration of validity of the issued certificate.', (c) =>
    typeof c.spec?.expirationSeconds === 'number' ? humanDuration(c.spec.expirationSeconds * 1000) : '<none>',
  ),
  str('Condition', 'Conditions applied to the request.', csrCondition),
]);

// ---------------------------------------------------------------- flow control

const flowSchemas = printer<any>([
  nameCol(),
  str('PriorityLevel', '`name` is the name of the priority level configuration being referenced', (f) => f.spec?.priorityLevelConfiguration?.name ?? ''),
  str('MatchingPrecedence', '`matchingPrecedence` is used to choose among the FlowSchemas that match a given request.', (f) => int(f.spec?.matchingPrecedence) || 1000),
  str('DistinguisherMethod', '`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema.', (f) => f.spec?.distinguisherMethod?.type ?? '<none>'),
  ageCol(),
  str('MissingPL', 'references a broken or non-existent PriorityLevelConfiguration', (f) =>
    (f.status?.conditions ?? []).find((c: { type?: string }) => c.type === 'Dangling')?.status ?? '?',
  ),
]);

const priorityLevelConfigurations = printer<any>([
  nameCol(),
  str('Type', '`type` indicates whether this priority level is subject to limitation on request execution.', (p) => p.spec?.type ?? ''),
  str('NominalConcurrencyShares', '`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level.', (p) =>
    p.spec?.limited ? (p.spec.limited.nominalConcurrencyShares ?? 30) : '<none>',
  ),
  str('Queues', '`queues` is the number of queues for this priority level.', (p) => p.spec?.limited?.limitResponse?.queuing?.queues ?? '<none>'),
  str('HandSize', '`handSize` is a small positive number that configures the shuffle sharding of requests into queues.', (p) => p.spec?.limited?.limitResponse?.queuing?.handSize ?? '<none>'),
  str('QueueLengthLimit', '`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time.', (p) =>
    p.spec?.limited?.limitResponse?.queuing?.queueLengthLimit ?? '<none>',
  ),
  ageCol(),
]);

/** Printers of the non-core groups declared here, keyed "resource.group". */
export const clusterPrinters: Record<string, Printer> = {
  'ingresses.networking.k8s.io': ingresses,
  'ingressclasses.networking.k8s.io': ingressClasses,
  'networkpolicies.networking.k8s.io': networkPolicies,
  'servicecidrs.networking.k8s.io': serviceCIDRs,
  'ipaddresses.networking.k8s.io': ipAddresses,
  'endpointslices.discovery.k8s.io': endpointSlices,
  'leases.coordination.k8s.io': leases,
  'rolebindings.rbac.authorization.k8s.io': bindingPrinter<RoleBinding>('roleBinding'),
  'clusterrolebindings.rbac.authorization.k8s.io': bindingPrinter<ClusterRoleBinding>('clusterRoleBinding'),
  'storageclasses.storage.k8s.io': storageClasses,
  'volumeattributesclasses.storage.k8s.io': volumeAttributesClasses,
  'csidrivers.storage.k8s.io': csiDrivers,
  'csinodes.storage.k8s.io': csiNodes,
  'csistoragecapacities.storage.k8s.io': csiStorageCapacities,
  'volumeattachments.storage.k8s.io': volumeAttachments,
  'priorityclasses.scheduling.k8s.io': priorityClasses,
  'runtimeclasses.node.k8s.io': runtimeClasses,
  'mutatingwebhookconfigurations.admissionregistration.k8s.io': webhookConfigurations,
  'validatingwebhookconfigurations.admissionregistration.k8s.io': webhookConfigurations,
  'validatingadmissionpolicies.admissionregistration.k8s.io': admissionPolicyPrinter(
    'Validations',
    'validations',
    'Validations indicates the number of validation rules defined in this configuration',
  ),
  'validatingadmissionpolicybindings.admissionregistration.k8s.io': admissionPolicyBindings,
  'mutatingadmissionpolicies.admissionregistration.k8s.io': admissionPolicyPrinter(
    'Mutations',
    'mutations',
    'Mutation indicates the number of mutations rules defined in this configuration',
  ),
  'mutatingadmissionpolicybindings.admissionregistration.k8s.io': admissionPolicyBindings,
  'certificatesigningrequests.certificates.k8s.io': certificateSigningRequests,
  'flowschemas.flowcontrol.apiserver.k8s.io': flowSchemas,
  'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io': priorityLevelConfigurations,
};
