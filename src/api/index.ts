/**
 * Flotilla's own API (Karmada-compatible): types and schemas per group, the CRDs built from them,
 * defaulting, validation, well-known names. Other folders import from here, not from the files.
 */
export * from './common.js';
export * from './cluster.js';
export * from './placement.js';
export * from './overriders.js';
export * from './policy.js';
export * from './work.js';
export * from './apps.js';
export * from './crds.js';
export * from './structural.js';
export * from './defaults.js';
export * from './validation.js';
export * from './names.js';
export * from './wellknown.js';
