/**
 * policy.karmada.io/v1alpha1 overriders (override_types.go): per-cluster changes applied to a
 * resource template before it is written into a Work. Karmada applies them, within one rule, in the
 * order image, command, args, labels, annotations, field, plaintext.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { AnyJSON, Opt, StringEnum, StringList, StringMap } from './common.js';
import { ClusterAffinitySchema, ResourceSelectorSchema } from './placement.js';

export const OVERRIDER_OPERATORS = ['add', 'remove', 'replace'] as const;
export type OverriderOperator = (typeof OVERRIDER_OPERATORS)[number];
export const IMAGE_COMPONENTS = ['Registry', 'Repository', 'Tag'] as const;
export type ImageComponent = (typeof IMAGE_COMPONENTS)[number];

const operator = (values: readonly OverriderOperator[] = OVERRIDER_OPERATORS) => StringEnum(values, { description: 'The operation.' });

export const PlaintextOverriderSchema = Type.Object(
  {
    path: Type.String({ description: 'JSON pointer (RFC 6901) of the target field, e.g. /spec/replicas.' }),
    operator: operator(),
    value: Opt(AnyJSON({ description: 'The value to add or replace with; empty for remove.' })),
  },
  { description: 'A JSON patch operation on one field.' },
);
export type PlaintextOverrider = Static<typeof PlaintextOverriderSchema>;

export const ImageOverriderSchema = Type.Object(
  {
    predicate: Opt(
      Type.Object(
        { path: Type.String({ description: 'JSON pointer of an image field.' }) },
        { description: 'Only this image field; unset means every container image of a Pod or workload template.' },
      ),
    ),
    component: StringEnum(IMAGE_COMPONENTS, { description: 'Part of [registry/]repository[:tag] to change.' }),
    operator: operator(),
    value: Opt(Type.String({ description: 'Required for add and replace.' })),
  },
  { description: 'Changes one part of container images.' },
);
export type ImageOverrider = Static<typeof ImageOverriderSchema>;

export const CommandArgsOverriderSchema = Type.Object(
  {
    containerName: Type.String(),
    operator: operator(['add', 'remove']),
    value: Opt(StringList({ description: 'Items appended (add) or removed (remove).' })),
  },
  { description: "Changes a container's command or args." },
);
export type CommandArgsOverrider = Static<typeof CommandArgsOverriderSchema>;

export const LabelAnnotationOverriderSchema = Type.Object(
  { operator: operator(), value: StringMap({ description: 'Keys to add, remove or replace.' }) },
  { description: "Changes the workload's labels or annotations." },
);
export type LabelAnnotationOverrider = Static<typeof LabelAnnotationOverriderSchema>;

const patchOperation = (format: string) =>
  Type.Object(
    {
      subPath: Type.String({ description: `JSON pointer inside the ${format} document.` }),
      operator: operator(),
      value: Opt(AnyJSON({ description: 'Required for add and replace; not allowed for remove.' })),
    },
    { description: `One change to the ${format} document.` },
  );
export const JSONPatchOperationSchema = patchOperation('JSON');
export const YAMLPatchOperationSchema = patchOperation('YAML');
export type JSONPatchOperation = Static<typeof JSONPatchOperationSchema>;
export type YAMLPatchOperation = Static<typeof YAMLPatchOperationSchema>;

export const FieldOverriderSchema = Type.Object(
  {
    fieldPath: Type.String({ description: 'JSON pointer of a string field holding JSON or YAML, e.g. /data/config.yaml.' }),
    json: Opt(Type.Array(JSONPatchOperationSchema)),
    yaml: Opt(Type.Array(YAMLPatchOperationSchema)),
  },
  { description: 'Changes inside a JSON or YAML document held in one field; exactly one of json and yaml.' },
);
export type FieldOverrider = Static<typeof FieldOverriderSchema>;

export const OverridersSchema = Type.Object(
  {
    plaintext: Opt(Type.Array(PlaintextOverriderSchema)),
    imageOverrider: Opt(Type.Array(ImageOverriderSchema)),
    commandOverrider: Opt(Type.Array(CommandArgsOverriderSchema)),
    argsOverrider: Opt(Type.Array(CommandArgsOverriderSchema)),
    labelsOverrider: Opt(Type.Array(LabelAnnotationOverriderSchema)),
    annotationsOverrider: Opt(Type.Array(LabelAnnotationOverriderSchema)),
    fieldOverrider: Opt(Type.Array(FieldOverriderSchema)),
  },
  { description: 'Overriders, applied as image, command, args, labels, annotations, field, plaintext.' },
);
export type Overriders = Static<typeof OverridersSchema>;

export const RuleWithClusterSchema = Type.Object(
  {
    targetCluster: Opt(ClusterAffinitySchema),
    overriders: OverridersSchema,
  },
  { description: 'Overriders for the clusters targetCluster selects (all clusters when unset).' },
);
export type RuleWithCluster = Static<typeof RuleWithClusterSchema>;

export const OverrideSpecSchema = Type.Object(
  {
    resourceSelectors: Opt(Type.Array(ResourceSelectorSchema, { description: 'Resources to override; unset means all.' })),
    overrideRules: Opt(Type.Array(RuleWithClusterSchema)),
    targetCluster: Opt(ClusterAffinitySchema),
    overriders: Opt(OverridersSchema),
  },
  { description: 'Per-cluster changes; targetCluster and overriders are the deprecated pre-v1.0 form of overrideRules.' },
);
export type OverrideSpec = Static<typeof OverrideSpecSchema>;
