/** ResourceRefs for the built-in kinds Flotilla's own code reads and writes. */
import type { ResourceRef } from './client.js';

const r = (group: string, version: string, resource: string, namespaced = true): ResourceRef => ({ group, version, resource, namespaced });

export const R = {
  namespaces: r('', 'v1', 'namespaces', false),
  nodes: r('', 'v1', 'nodes', false),
  pods: r('', 'v1', 'pods'),
  services: r('', 'v1', 'services'),
  endpoints: r('', 'v1', 'endpoints'),
  configmaps: r('', 'v1', 'configmaps'),
  secrets: r('', 'v1', 'secrets'),
  serviceaccounts: r('', 'v1', 'serviceaccounts'),
  events: r('', 'v1', 'events'),
  persistentvolumes: r('', 'v1', 'persistentvolumes', false),
  persistentvolumeclaims: r('', 'v1', 'persistentvolumeclaims'),
  deployments: r('apps', 'v1', 'deployments'),
  replicasets: r('apps', 'v1', 'replicasets'),
  statefulsets: r('apps', 'v1', 'statefulsets'),
  daemonsets: r('apps', 'v1', 'daemonsets'),
  controllerrevisions: r('apps', 'v1', 'controllerrevisions'),
  jobs: r('batch', 'v1', 'jobs'),
  cronjobs: r('batch', 'v1', 'cronjobs'),
  leases: r('coordination.k8s.io', 'v1', 'leases'),
  endpointslices: r('discovery.k8s.io', 'v1', 'endpointslices'),
  crds: r('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', false),
} as const;
