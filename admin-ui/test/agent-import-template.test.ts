/**
 * The console's import template (ADM-09) is a file the server reads: its header names every
 * import column in both UI languages, and its example row fills each of them.
 */
import { describe, expect, it } from 'vitest';
import { columnOf, IMPORT_COLUMNS, readImportFile } from '../../core/src/modules/agents/import-file.js';
import { importProblemsOf, importTemplateCsv } from '../src/components/admin-agents/agent-list.js';

describe('agent import template', () => {
  it.each(['zh-CN', 'en'])('[ADM-09] the %s template names every column the server imports', async (locale) => {
    const sheet = await readImportFile(Buffer.from(importTemplateCsv(locale), 'utf8'));
    expect(sheet.kind).toBe('csv');
    expect(sheet.header.cells.map((c) => columnOf(c))).toEqual([...IMPORT_COLUMNS]);
    expect(sheet.rows).toHaveLength(1);
    expect(sheet.rows[0]!.cells.every((c) => c !== '')).toBe(true);
  });

  it('[ADM-09] reads the per-row report of a refused import, and nothing else', () => {
    const body = {
      error: {
        code: 'import_invalid',
        message: '2 problem(s) in the file; nothing was imported',
        details: {
          errors: [
            { row: 3, column: 'email', message: 'must be an email address' },
            { row: 5, column: null, message: 'the file has no agents below its header' },
            { row: 'x', message: 'malformed entries are dropped' },
          ],
        },
      },
    };
    expect(importProblemsOf(body)).toEqual([
      { row: 3, column: 'email', message: 'must be an email address' },
      { row: 5, column: null, message: 'the file has no agents below its header' },
    ]);
    expect(importProblemsOf({ error: { code: 'unsupported_media_type', message: 'not a spreadsheet' } })).toBeNull();
    expect(importProblemsOf(undefined)).toBeNull();
  });
});
