/**
 * Reads one snapshot file as JSON, turning a parse failure into a load issue that names the line and column
 * instead of an exception.
 */
import { readFileSync } from 'node:fs';
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { LoadIssue } from '../model/issues.js';

export type JsonReadResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly issue: LoadIssue };

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

export function readJsonFile(absolutePath: string, displayPath: string): JsonReadResult {
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch (e) {
    return {
      ok: false,
      issue: {
        code: 'UNREADABLE_FILE',
        severity: 'error',
        message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
        source: { file: displayPath, path: '$' },
      },
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    // JSON.parse does not always say where it failed; jsonc-parser (strict options) finds the first error's offset.
    const errors: ParseError[] = [];
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    let where = '';
    let reason = e instanceof Error ? e.message : String(e);
    if (text.trim() === '') {
      where = ' (the file is empty)';
    } else if (first) {
      const { line, column } = lineColumn(text, first.offset);
      where = ` at line ${line} column ${column}`;
      reason = printParseErrorCode(first.error);
    }
    return {
      ok: false,
      issue: {
        code: 'MALFORMED_JSON',
        severity: 'error',
        message: `malformed JSON${where}: ${reason}`,
        source: { file: displayPath, path: '$' },
      },
    };
  }
}
