/** Fixtures for the CRD tests: one CRD that uses most of what CRDs can declare. */
import type { CustomResourceDefinition, JSONSchemaProps } from './types.js';

export function widgetSchema(): JSONSchemaProps {
  return {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['color'],
        properties: {
          color: { type: 'string', enum: ['red', 'green', 'blue'] },
          replicas: { type: 'integer', minimum: 0, default: 1 },
          size: { type: 'string', default: 'M', pattern: '^(S|M|L|XL)$' },
          port: { 'x-kubernetes-int-or-string': true },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          selector: { type: 'string' },
          min: { type: 'integer' },
          max: { type: 'integer' },
        },
        'x-kubernetes-validations': [{ rule: '!has(self.min) || !has(self.max) || self.min <= self.max', message: 'min must not exceed max' }],
      },
      status: {
        type: 'object',
        properties: { replicas: { type: 'integer' }, selector: { type: 'string' }, phase: { type: 'string' } },
      },
    },
  };
}

export function widgetCRD(over: { group?: string; plural?: string; kind?: string; shortNames?: string[]; scope?: string } = {}): CustomResourceDefinition {
  const group = over.group ?? 'example.com';
  const plural = over.plural ?? 'widgets';
  const kind = over.kind ?? 'Widget';
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    schema: { openAPIV3Schema: widgetSchema() },
    subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
    additionalPrinterColumns: [
      { name: 'Color', type: 'string', jsonPath: '.spec.color' },
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
      { name: 'Size', type: 'string', jsonPath: '.spec.size', priority: 1 },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: over.scope ?? 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List`, shortNames: over.shortNames ?? ['wd'], categories: ['all', 'toys'] },
      versions: [version('v1', true), version('v1beta1', false)],
    },
  };
}
