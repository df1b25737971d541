import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { createError } from '../../errors/registry.js';
import { nearestName } from '../../http/unknown-keys.js';

/*
 * Reading an agent import file (ADM-09): CSV or XLSX, told apart by their bytes (an XLSX file
 * is a ZIP archive), never by a name or a Content-Type. The result is a table of cell texts
 * with the row numbers a person sees in their spreadsheet, so every error can point at a row.
 */

/** The columns an import may have; `name`, `email` and `staffNo` are required. */
export const IMPORT_COLUMNS = ['name', 'email', 'staffNo', 'mobile', 'skillGroups'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['name', 'email', 'staffNo'];

/** Header texts accepted for each column (compared without case, spaces, `_` or `-`). */
const HEADER_NAMES: Record<ImportColumn, readonly string[]> = {
  name: ['name', 'fullname', '姓名', '名字'],
  email: ['email', 'mail', 'emailaddress', '邮箱', '电子邮箱', '邮件'],
  staffNo: ['staffno', 'staffnumber', 'staffid', 'employeeno', '工号'],
  mobile: ['mobile', 'phone', 'mobilephone', 'cellphone', '手机', '手机号', '手机号码'],
  skillGroups: ['skillgroups', 'skillgroup', 'groups', '技能组'],
};

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

/** The column a header cell names, if any. */
export function columnOf(header: string): ImportColumn | undefined {
  const h = squash(header);
  return IMPORT_COLUMNS.find((c) => HEADER_NAMES[c].includes(h));
}

/** The column a mistyped header most likely meant. */
export function suggestColumn(header: string): ImportColumn | undefined {
  const names = IMPORT_COLUMNS.flatMap((c) => HEADER_NAMES[c].map((n) => [n, c] as const));
  const hit = nearestName(
    squash(header),
    names.map(([n]) => n),
  );
  return hit ? names.find(([n]) => n === hit)?.[1] : undefined;
}

/** One row of the sheet: its number as shown in the spreadsheet, and its cell texts. */
export interface SheetRow {
  row: number;
  cells: string[];
}

/** A file read into rows: the first non-empty row is the header. */
export interface ImportSheet {
  kind: 'csv' | 'xlsx';
  header: SheetRow;
  rows: SheetRow[];
}

/** Most rows one import may have: each agent costs a password hash (argon2id, ≈ 50 ms). */
export const MAX_IMPORT_ROWS = 500;

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

const unsupported = (message: string) => createError('unsupported_media_type', message);

/** Reads CSV (UTF-8, comma, semicolon or tab separated) or XLSX bytes into rows. */
export async function readImportFile(bytes: Buffer): Promise<ImportSheet> {
  if (bytes.length === 0) throw createError('validation_failed', 'The file is empty');
  let rows: SheetRow[];
  let kind: ImportSheet['kind'];
  if (bytes.subarray(0, 4).equals(ZIP)) {
    kind = 'xlsx';
    rows = await readXlsx(bytes);
  } else if (bytes.subarray(0, 4).equals(OLE)) {
    throw unsupported('This is an old Excel (.xls) file: save it as .xlsx or as CSV (UTF-8) and upload again');
  } else {
    kind = 'csv';
    rows = readCsv(bytes);
  }
  const nonEmpty = rows.filter((r) => r.cells.some((c) => c !== ''));
  const [header, ...data] = nonEmpty;
  if (!header) throw createError('validation_failed', 'The file has no header row');
  return { kind, header, rows: data };
}

function readCsv(bytes: Buffer): SheetRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw unsupported('Send a CSV file encoded as UTF-8 (in Excel: "CSV UTF-8"), or an XLSX workbook');
  }
  if (text.includes('\u0000')) throw unsupported('Send a CSV (UTF-8) or an XLSX file; this looks like another binary');
  text = text.replace(/^\uFEFF/, '');
  // Excel writes `;` where the decimal separator is a comma; some tools write tabs.
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = ([',', ';', '\t'] as const)
    .map((d) => ({ d, n: firstLine.split(d).length }))
    .sort((a, b) => b.n - a.n)[0]!.d;
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw createError('validation_failed', `The CSV file could not be read${line ? ` (line ${line})` : ''}`, {
      cause: err,
      details: [{ row: line ?? null, message: (err as Error).message }],
    });
  }
  return records.map((r) => ({ row: r.info.lines, cells: r.record.map((c) => c.trim()) }));
}

async function readXlsx(bytes: Buffer): Promise<SheetRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw unsupported(`The file is a ZIP archive but not a readable XLSX workbook (${(err as Error).message})`);
  }
  const sheet = wb.worksheets.find((s) => s.actualRowCount > 0);
  if (!sheet) return [];
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c)));
    rows.push({ row: rowNumber, cells });
  });
  return rows;
}

/**
 * A cell as the person sees it: numbers typed into a staff-number or mobile column stay digits
 * (no `1.38e10`), hyperlinks (Excel links typed emails) give their text.
 */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text.trim();
  if (typeof v === 'object' && 'result' in v && v.result !== undefined && v.result !== null) {
    return typeof v.result === 'number' && Number.isInteger(v.result) ? v.result.toFixed(0) : String(v.result).trim();
  }
  return cell.text.trim();
}
