/**
 * Load issues as data (house style: Zod's errors). The loader collects every issue instead of stopping at
 * the first; the CLI and the web page render them. Exceptions are for bugs only.
 */
import type { SourceRef } from './types.js';

export type LoadIssueCode =
  | 'SNAPSHOT_NOT_FOUND'
  | 'SNAPSHOT_EMPTY'
  | 'MALFORMED_JSON'
  | 'UNREADABLE_FILE'
  | 'NOT_AN_OBJECT'
  | 'UNKNOWN_TOP_LEVEL_KEY'
  | 'INVALID_FIELD'
  | 'DUPLICATE_ID_CONFLICT'
  | 'MISSING_PARENT'
  | 'DANGLING_REFERENCE'
  | 'UNKNOWN_ACCOUNT_OR_REGION'
  | 'IGNORED_STATE'
  | 'MISSING_DATA'
  | 'OVERLAPPING_CIDRS'
  | 'COLLECTION_ERROR';

export type Severity = 'error' | 'warning' | 'info';

export interface LoadIssue {
  readonly code: LoadIssueCode;
  readonly severity: Severity;
  readonly message: string;
  readonly source?: SourceRef;
  readonly resourceId?: string;
}

/** Renders an issue as one line: `severity CODE file $.path: message`. */
export function formatIssue(issue: LoadIssue): string {
  const where = issue.source ? `${issue.source.file}${issue.source.path && issue.source.path !== '$' ? ` ${issue.source.path}` : ''}: ` : '';
  return `${issue.severity} ${issue.code} ${where}${issue.message}`;
}
