import type { FieldCause } from '../util/validation-field.js';

/**
 * A selector string or object that Kubernetes would reject. The message is the one the Go code
 * produces; `causes` carries the field errors when the failure was a validation one (bad key,
 * bad value, bad operator), so callers can build a Status with details.
 */
export class SelectorParseError extends Error {
  readonly causes: readonly FieldCause[];
  constructor(message: string, causes: readonly FieldCause[] = []) {
    super(message);
    this.name = 'SelectorParseError';
    this.causes = causes;
  }
}
