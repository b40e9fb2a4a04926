/**
 * rbac.authorization.k8s.io/v1 roles and bindings, which `kubectl create role|rolebinding|
 * clusterrole|clusterrolebinding` send. Field numbers from k8s.io/api rbac/v1 generated.proto.
 */
import type { GroupSpec } from './schema.js';

export const rbac: GroupSpec = {
  pkg: 'rbac',
  kinds: { 'rbac.authorization.k8s.io/v1': ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] },
  messages: {
    // rules has no omitempty upstream: an aggregated ClusterRole without rules is written `rules: null`.
    Role: { metadata: [1, 'meta.ObjectMeta'], rules: [2, '[]PolicyRule', 'r'] },
    ClusterRole: { metadata: [1, 'meta.ObjectMeta'], rules: [2, '[]PolicyRule', 'r'], aggregationRule: [3, 'AggregationRule'] },
    AggregationRule: { clusterRoleSelectors: [1, '[]meta.LabelSelector'] },
    PolicyRule: {
      verbs: [1, '[]string', 'r'],
      apiGroups: [2, '[]string'],
      resources: [3, '[]string'],
      resourceNames: [4, '[]string'],
      nonResourceURLs: [5, '[]string'],
    },
    RoleBinding: { metadata: [1, 'meta.ObjectMeta'], subjects: [2, '[]Subject'], roleRef: [3, 'RoleRef'] },
    ClusterRoleBinding: { metadata: [1, 'meta.ObjectMeta'], subjects: [2, '[]Subject'], roleRef: [3, 'RoleRef'] },
    Subject: { kind: [1, 'string', 'r'], apiGroup: [2, 'string'], name: [3, 'string', 'r'], namespace: [4, 'string'] },
    RoleRef: { apiGroup: [1, 'string', 'r'], kind: [2, 'string', 'r'], name: [3, 'string', 'r'] },
  },
};
