/**
 * Tells whether a failure means "this storage does not implement the call": a cfkv error with
 * code NOT_SUPPORTED anywhere in the cause chain, or a Mastra error whose id ends in
 * NOT_IMPLEMENTED, as Mastra's base domains throw for methods a store leaves out.
 */
export function isNotSupported(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && depth < 10; depth += 1) {
    if (typeof current !== 'object' || current === null) return false;
    const { code, id, cause } = current as { code?: unknown; id?: unknown; cause?: unknown };
    if (code === 'NOT_SUPPORTED') return true;
    if (typeof id === 'string' && /NOT_(IMPLEMENTED|SUPPORTED)$/.test(id)) return true;
    current = cause;
  }
  return false;
}
