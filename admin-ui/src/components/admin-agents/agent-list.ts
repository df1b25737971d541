/**
 * The agents page's list in the URL (ADM-11: search by staff number, name or email; filter by
 * skill group, state, status and role; sort; page) and the pure pieces of the import (ADM-09):
 * the template file and reading the server's per-row report.
 */
import type { Schemas } from '../../api/request';
import { enumFilter, idFilter, textFilter } from '../../composables/use-list-query';

/** An agent row as `GET /agents` answers it. */
export type AgentRow = Schemas['AgentListItem'];

export const AGENT_STATES = ['offline', 'idle', 'notReady', 'rest', 'ringing', 'busy', 'afterCallWork'] as const;
export const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;
export const AGENT_STATUSES = ['active', 'disabled'] as const;
/** Columns the server sorts by (`AGENT_SORTS` of the API). */
export const AGENT_SORTS = ['staffNo', 'name', 'email', 'state', 'createdAt'] as const;
export type AgentSort = (typeof AGENT_SORTS)[number];

/** The list's filters and sorts; the keys are the API's query names. */
export const AGENT_LIST_SPEC = {
  filters: {
    q: textFilter(100),
    skillGroupId: idFilter(),
    state: enumFilter(AGENT_STATES),
    status: enumFilter(AGENT_STATUSES),
    role: enumFilter(AGENT_ROLES),
  },
  sorts: AGENT_SORTS,
  defaultSort: 'staffNo' as AgentSort,
};

/** One problem the server found in an import file. */
export interface ImportProblem {
  row: number;
  column: string | null;
  message: string;
}

/**
 * The per-row report of a refused import (`422 import_invalid`, `details.errors`), or null when
 * the error is something else (too large, not a spreadsheet, a conflict…).
 */
export function importProblemsOf(body: unknown): ImportProblem[] | null {
  const e = (body as { error?: { code?: unknown; details?: { errors?: unknown } } } | undefined)?.error;
  if (e?.code !== 'import_invalid' || !Array.isArray(e.details?.errors)) return null;
  return (e.details.errors as unknown[]).flatMap((x) => {
    const p = x as Partial<ImportProblem>;
    if (typeof p.row !== 'number' || typeof p.message !== 'string') return [];
    return [{ row: p.row, column: typeof p.column === 'string' ? p.column : null, message: p.message }];
  });
}

/** Header of the template in the UI language (the server takes English and Chinese headers). */
const TEMPLATE: Record<'zh-CN' | 'en', { header: string[]; example: string[] }> = {
  'zh-CN': {
    header: ['姓名', '邮箱', '工号', '手机', '技能组'],
    example: ['张三', 'zhangsan@example.com', '1001', '13800000000', '售前;售后'],
  },
  en: {
    header: ['name', 'email', 'staffNo', 'mobile', 'skillGroups'],
    example: ['Zhang San', 'zhangsan@example.com', '1001', '13800000000', 'Presales;After-sales'],
  },
};

/** One CSV cell, quoted when it has to be. */
function cell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The import template as CSV text: a byte-order mark (so Excel opens Chinese as UTF-8, and the
 * server accepts it), the header and one example row to overwrite.
 */
export function importTemplateCsv(locale: string): string {
  const tpl = TEMPLATE[locale === 'en' ? 'en' : 'zh-CN'];
  return `\uFEFF${[tpl.header, tpl.example].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Largest file the server takes (2 MiB). */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
