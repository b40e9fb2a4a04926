import { runSchemaCases } from './testing/schema-cases.js';

runSchemaCases('cluster.karmada.io');
