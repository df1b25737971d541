/**
 * Caller location (IN-06) on real numbers, against the shipped libphonenumber data: mobile
 * ranges and area codes in every common written form, municipalities and autonomous regions
 * split into province and city, the range carrier, and null for what must not be located
 * (service numbers, 400 numbers, staff numbers, foreign numbers).
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CallerLocator, readPrefixTable, splitEn, splitZh } from './lookup.js';

const locator = new CallerLocator({ logger: pino({ level: 'silent' }) });

describe('caller location', () => {
  it('[IN-06] a mobile number: province, city and the carrier that holds the range, in zh-CN and English', () => {
    expect(locator.lookup('13800138000')).toEqual({
      province: '北京市',
      city: '北京市',
      carrier: '中国移动',
      en: { province: 'Beijing', city: 'Beijing', carrier: 'China Mobile' },
      lineType: 'mobile',
    });
    expect(locator.lookup('13912345678')).toMatchObject({ province: '江苏省', city: '常州市', carrier: '中国移动' });
    expect(locator.lookup('18612345678')).toMatchObject({ province: '北京市', carrier: '中国联通' });
    expect(locator.lookup('13012345678')).toMatchObject({ province: '重庆市', city: '重庆市', carrier: '中国联通' });
  });

  it('[IN-06] any written form of the same number gives the same answer', () => {
    const want = locator.lookup('13800138000');
    for (const form of ['+8613800138000', '8613800138000', '008613800138000', ' 138 0013 8000 ', '138-0013-8000']) {
      expect(locator.lookup(form), form).toEqual(want);
    }
  });

  it('[IN-06] a fixed line: the area code gives province and city, no carrier', () => {
    expect(locator.lookup('02088881234')).toEqual({
      province: '广东省',
      city: '广州市',
      carrier: null,
      en: { province: 'Guangdong', city: 'Guangzhou', carrier: null },
      lineType: 'fixedLine',
    });
    expect(locator.lookup('0755-1234-5678')).toMatchObject({ province: '广东省', city: '深圳市' });
    expect(locator.lookup('010-12345678')).toMatchObject({ province: '北京市', city: '北京市' });
    // An autonomous region gets its full name, the city the rest.
    expect(locator.lookup('0471-1234567')).toMatchObject({
      province: '内蒙古自治区',
      city: '呼和浩特市',
      en: { province: 'Inner Mongolia' },
    });
  });

  it('[IN-06] a range Google has no place for still gives its carrier', () => {
    expect(locator.lookup('19912345678')).toEqual({
      province: null,
      city: null,
      carrier: '中国电信',
      en: { province: null, city: null, carrier: 'China Telecom' },
      lineType: 'mobile',
    });
  });

  it('[IN-06] service, 400, staff and foreign numbers are not located', () => {
    // A bare prefix match would place 95588 in 宁夏中卫市 (area code 955).
    for (const n of ['95588', '4008001234', '1001', '+14155550100', 'anonymous', '', '12']) {
      expect(locator.lookup(n), n).toBeNull();
    }
  });

  it('splits geocodes into province and city', () => {
    expect(splitZh('广东省广州市')).toEqual({ province: '广东省', city: '广州市' });
    expect(splitZh('天津')).toEqual({ province: '天津市', city: '天津市' });
    expect(splitZh('新疆乌鲁木齐市')).toEqual({ province: '新疆维吾尔自治区', city: '乌鲁木齐市' });
    expect(splitZh('辽宁省沈阳市、铁岭市、抚顺市')).toEqual({ province: '辽宁省', city: '沈阳市、铁岭市、抚顺市' });
    expect(splitEn('Guangzhou, Guangdong')).toEqual({ province: 'Guangdong', city: 'Guangzhou' });
    expect(splitEn('Shanghai')).toEqual({ province: 'Shanghai', city: 'Shanghai' });
  });

  it('reads the prefix tables and refuses a table of another shape', () => {
    // { "10": "a", "010": "b" } as BSON: the two keys stay apart.
    const field = (k: string, v: string) =>
      Buffer.concat([
        Buffer.from([0x02]),
        Buffer.from(`${k}\0`),
        Buffer.from(new Int32Array([Buffer.byteLength(v) + 1]).buffer),
        Buffer.from(`${v}\0`),
      ]);
    const body = Buffer.concat([field('10', 'a'), field('010', 'b')]);
    const doc = Buffer.concat([Buffer.from(new Int32Array([body.length + 5]).buffer), body, Buffer.from([0])]);
    const table = readPrefixTable(doc);
    expect(table.offsets.size).toBe(2);
    const bad = Buffer.from(doc);
    bad[4] = 0x10; // int32 instead of a string
    expect(() => readPrefixTable(bad)).toThrow(/expected a string/);
  });

  it('loads the data once; later lookups use it as loaded', () => {
    const fresh = new CallerLocator({ logger: pino({ level: 'silent' }) });
    const ms = fresh.warm();
    expect(ms).toBeGreaterThan(0);
    expect(fresh.warm()).toBe(0);
    expect(fresh.lookup('15012345678')).toMatchObject({ province: '云南省', city: '昭通市', carrier: '中国移动' });
  });
});
