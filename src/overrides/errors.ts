/** Why one overrider could not be applied; the message reads like Karmada's. */
export class OverriderError extends Error {
  override name = 'OverriderError';
}

/** The message of anything thrown while applying an overrider, without a stack. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
