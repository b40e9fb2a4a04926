import { runSchemaCases } from './testing/schema-cases.js';

runSchemaCases('apps.karmada.io');
