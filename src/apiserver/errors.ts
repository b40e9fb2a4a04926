/**
 * Every error that leaves the API server is a Kubernetes Status. This is the one table of
 * reasons and codes; handlers throw StatusError and the HTTP layer serialises it.
 */

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export const Reasons = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
} as const;

export type Reason = keyof typeof Reasons;

export class StatusError extends Error {
  readonly code: number;
  constructor(
    readonly reason: Reason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'StatusError';
    this.code = Reasons[reason];
  }

  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** "deployments.apps" — the qualified resource name Kubernetes uses in messages. */
export function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const errors = {
  badRequest: (message: string, causes?: StatusCause[]) =>
    new StatusError('BadRequest', message, causes ? { causes } : undefined),
  unauthorized: () => new StatusError('Unauthorized', 'Unauthorized'),
  notFound: (group: string, resource: string, name: string) =>
    new StatusError('NotFound', `${qualifiedResource(group, resource)} "${name}" not found`, { name, group, kind: resource }),
  noResource: () => new StatusError('NotFound', 'the server could not find the requested resource'),
  methodNotAllowed: (verb: string, what: string) =>
    new StatusError('MethodNotAllowed', `the server does not allow this method on the requested resource (${verb} ${what})`),
  alreadyExists: (group: string, resource: string, name: string) =>
    new StatusError('AlreadyExists', `${qualifiedResource(group, resource)} "${name}" already exists`, { name, group, kind: resource }),
  conflict: (group: string, resource: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    new StatusError('Conflict', `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${why}`, {
      name,
      group,
      kind: resource,
    }),
  expired: (message: string) => new StatusError('Expired', message),
  tooLarge: (limit: number) => new StatusError('RequestEntityTooLarge', `the request body is too large (limit ${limit} bytes)`),
  unsupportedMediaType: (type: string) =>
    new StatusError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got ${JSON.stringify(type)})`),
  invalid: (group: string, kind: string, name: string, causes: StatusCause[]) =>
    new StatusError(
      'Invalid',
      `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ')}`,
      { name, group, kind, causes },
    ),
  internal: (message: string) => new StatusError('InternalError', `Internal error occurred: ${message}`),
  unavailable: (message: string) => new StatusError('ServiceUnavailable', message),
  timeout: (message: string, causes?: StatusCause[]) => new StatusError('Timeout', message, causes ? { causes } : undefined),
};

export function successStatus(details?: StatusDetails): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
