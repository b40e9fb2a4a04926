/**
 * networking.k8s.io/v1 Ingress, which `kubectl create ingress` sends.
 * Field numbers from k8s.io/api networking/v1 generated.proto.
 */
import type { GroupSpec } from './schema.js';

export const networking: GroupSpec = {
  pkg: 'networking',
  kinds: { 'networking.k8s.io/v1': ['Ingress'] },
  messages: {
    Ingress: { metadata: [1, 'meta.ObjectMeta'], spec: [2, 'IngressSpec'], status: [3, 'IngressStatus'] },
    IngressSpec: {
      ingressClassName: [4, 'string', 'p'],
      defaultBackend: [1, 'IngressBackend'],
      tls: [2, '[]IngressTLS'],
      rules: [3, '[]IngressRule'],
    },
    IngressBackend: { service: [4, 'IngressServiceBackend'], resource: [3, 'core.TypedLocalObjectReference'] },
    IngressServiceBackend: { name: [1, 'string', 'r'], port: [2, 'ServiceBackendPort'] },
    ServiceBackendPort: { name: [1, 'string'], number: [2, 'int32'] },
    IngressTLS: { hosts: [1, '[]string'], secretName: [2, 'string'] },
    IngressRule: { host: [1, 'string'], ingressRuleValue: [2, 'IngressRuleValue', 'i'] },
    IngressRuleValue: { http: [1, 'HTTPIngressRuleValue'] },
    HTTPIngressRuleValue: { paths: [1, '[]HTTPIngressPath', 'r'] },
    // pathType is a pointer without omitempty upstream.
    HTTPIngressPath: { path: [1, 'string'], pathType: [3, 'string', 'pr'], backend: [2, 'IngressBackend'] },
    IngressStatus: { loadBalancer: [1, 'IngressLoadBalancerStatus'] },
    IngressLoadBalancerStatus: { ingress: [1, '[]IngressLoadBalancerIngress'] },
    IngressLoadBalancerIngress: { ip: [1, 'string'], hostname: [2, 'string'], ports: [4, '[]IngressPortStatus'] },
    IngressPortStatus: { port: [1, 'int32', 'r'], protocol: [2, 'string', 'r'], error: [3, 'string', 'p'] },
  },
};
