import { runSchemaCases } from './testing/schema-cases.js';

runSchemaCases('work.karmada.io');
