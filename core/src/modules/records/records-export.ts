import { PassThrough, Readable, type Writable } from 'node:stream';
import { once } from 'node:events';
import ExcelJS from 'exceljs';

/** The languages an export's headers and values come in (zh-CN by default, REC-01). */
export type ExportLang = 'zh-CN' | 'en';

/** One exported row, already masked for the viewer, with values as the file shows them. */
export interface ExportRow {
  startedAt: Date;
  direction: string;
  customer: string;
  /** Our number: the dialled line of an inbound call, the shown number of an outbound one. */
  line: string;
  note: string | null;
  endStatusString: string;
  durationSeconds: number;
  agentName: string | null;
  agentStaffNo: string | null;
  skillGroup: string | null;
  satisfaction: string | null;
  hungUpSide: string;
  sessionId: string;
}

const COLUMNS = [
  'startedAt',
  'direction',
  'customer',
  'line',
  'note',
  'endStatusString',
  'durationSeconds',
  'agentName',
  'agentStaffNo',
  'skillGroup',
  'satisfaction',
  'hungUpSide',
  'sessionId',
] as const satisfies ReadonlyArray<keyof ExportRow>;

const HEADERS: Record<ExportLang, Record<(typeof COLUMNS)[number], string>> = {
  'zh-CN': {
    startedAt: '时间',
    direction: '呼叫类型',
    customer: '主叫号码/主叫ID',
    line: '服务号码',
    note: '备注',
    endStatusString: '接入状态',
    durationSeconds: '通话时长(秒)',
    agentName: '客服名称',
    agentStaffNo: '工号',
    skillGroup: '技能组',
    satisfaction: '满意度',
    hungUpSide: '挂断方',
    sessionId: '会话ID',
  },
  en: {
    startedAt: 'Time',
    direction: 'Call type',
    customer: 'Caller number / ID',
    line: 'Service number',
    note: 'Notes',
    endStatusString: 'Access status',
    durationSeconds: 'Talk time (s)',
    agentName: 'Agent',
    agentStaffNo: 'Staff no.',
    skillGroup: 'Skill group',
    satisfaction: 'Satisfaction',
    hungUpSide: 'Hung up by',
    sessionId: 'Session ID',
  },
};

const VALUES: Record<ExportLang, Record<string, string>> = {
  'zh-CN': {
    inbound: '呼入',
    outbound: '呼出',
    internal: '内部',
    ok: '已接通',
    blackList: '黑名单拦截',
    ivrGiveUp: 'IVR 中挂断',
    waitingGiveUp: '排队中挂断',
    ringingGiveUp: '振铃中挂断',
    noSeatOnline: '无坐席在线',
    notWorkTime: '非工作时间',
    ivrEnd: 'IVR 结束',
    clientError: '坐席话机未接听',
    notAnswer: '客户未接听',
    userReject: '客户拒接',
    numberNotExist: '空号',
    busy: '客户忙线',
    operatorError: '运营商呼叫失败',
    callerCancel: '已取消',
    callerCancelWhileRing: '振铃时取消',
    notInService: '无法接通',
    numberInvalid: '号码有误',
    user: '客户',
    seat: '坐席',
    system: '系统',
  },
  en: {
    inbound: 'Inbound',
    outbound: 'Outbound',
    internal: 'Internal',
    ok: 'Connected',
    blackList: 'Blocked caller',
    ivrGiveUp: 'Hung up in the IVR',
    waitingGiveUp: 'Hung up in the queue',
    ringingGiveUp: 'Hung up while ringing',
    noSeatOnline: 'No agent online',
    notWorkTime: 'Outside working hours',
    ivrEnd: 'Ended in the IVR',
    clientError: 'Agent phone did not answer',
    notAnswer: 'No answer',
    userReject: 'Declined',
    numberNotExist: 'Number does not exist',
    busy: 'Line busy',
    operatorError: 'Carrier failure',
    callerCancel: 'Cancelled',
    callerCancelWhileRing: 'Cancelled while ringing',
    notInService: 'Unreachable',
    numberInvalid: 'Invalid number',
    user: 'The customer',
    seat: 'The agent',
    system: 'The system',
  },
};

/** The header line of an export in a language (also what tests read back). */
export function exportHeaders(lang: ExportLang): string[] {
  return COLUMNS.map((c) => HEADERS[lang][c]);
}

/** `2026-12-03 14:05:09` in the tenant's time zone. */
function timeFormatter(timeZone: string): (d: Date) => string {
  // sv-SE writes ISO-like dates; hourCycle h23 keeps midnight as 00.
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return (d) => f.format(d);
}

/** A row as the cells of the file, in column order. */
function cells(lang: ExportLang, time: (d: Date) => string): (r: ExportRow) => Array<string | number> {
  const v = VALUES[lang];
  return (r) => [
    time(r.startedAt),
    v[r.direction] ?? r.direction,
    r.customer,
    r.line,
    r.note ?? '',
    v[r.endStatusString] ?? r.endStatusString,
    r.durationSeconds,
    r.agentName ?? '',
    r.agentStaffNo ?? '',
    r.skillGroup ?? '',
    r.satisfaction ?? '',
    v[r.hungUpSide] ?? r.hungUpSide,
    r.sessionId,
  ];
}

/**
 * A CSV field (RFC 4180), with formula injection defused: a cell that a spreadsheet would run
 * as a formula (`=`, `+`, `-`, `@` first) gets a leading apostrophe — notes are free text. A
 * number such as `+8613812345678` is data, so `+` followed only by digits is kept.
 */
export function csvField(v: string | number): string {
  if (typeof v === 'number') return String(v);
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) && !/^\+?\d+$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A writable of Node's streams or of the `readable-stream` package (exceljs' zip uses the latter). */
type LegacyWritable = Writable & { _writableState?: { needDrain?: boolean } };

export interface ExportOptions {
  lang: ExportLang;
  timeZone: string;
}

/**
 * The CSV file of the batches, as a stream: UTF-8 with a byte-order mark (so Excel reads the
 * Chinese headers), CRLF lines. One batch is turned into text only when the reader wants more.
 */
export function csvStream(batches: AsyncIterable<ExportRow[]>, opts: ExportOptions): Readable {
  const row = cells(opts.lang, timeFormatter(opts.timeZone));
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${exportHeaders(opts.lang).map(csvField).join(',')}\r\n`;
    for await (const batch of batches) {
      let chunk = '';
      for (const r of batch) chunk += `${row(r).map(csvField).join(',')}\r\n`;
      yield chunk;
    }
  }
  return Readable.from(lines(), { objectMode: false });
}

/**
 * The XLSX file of the batches, as a stream, written by exceljs' streaming workbook writer (rows
 * are committed, never kept). Between batches it waits until the HTTP side has taken what was
 * written, so a slow download does not pile the file up in memory.
 */
export function xlsxStream(
  batches: AsyncIterable<ExportRow[]>,
  opts: ExportOptions & { sheetName: string },
): { stream: Readable; done: Promise<void> } {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const row = cells(opts.lang, timeFormatter(opts.timeZone));
  // Settles when the response stream is gone, however it went (an error included).
  const closed = once(out, 'close').then(
    () => undefined,
    () => undefined,
  );
  const done = (async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet(opts.sheetName);
    ws.addRow(exportHeaders(opts.lang)).commit();
    for await (const batch of batches) {
      for (const r of batch) ws.addRow(row(r)).commit();
      // Backpressure: wait until the zip has taken the committed rows (exceljs writes the sheet
      // into its zip entry without waiting, so unchecked it would pile up in the compressor's
      // buffer) and until the HTTP side has taken the zip's output.
      // (The zip's entry stream comes from the `readable-stream` package, whose old API
      // keeps "needs drain" in its state object.)
      // A download the client gave up ends the loop (and the batches' reads) instead of waiting.
      const sheet = (ws as unknown as { stream: { pipes?: LegacyWritable[] } }).stream;
      for (const p of sheet.pipes ?? []) {
        if (p.writableNeedDrain ?? p._writableState?.needDrain) await Promise.race([once(p, 'drain'), closed]);
      }
      if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), closed]);
      if (out.destroyed) return;
    }
    ws.commit();
    await wb.commit();
  })();
  done.catch((err: unknown) => out.destroy(err as Error));
  return { stream: out, done };
}
