/** The mini-program's pure parts: its two languages, number tidying, cards, the clock. */
import { describe, expect, it } from 'vitest';
import { cardsOf, locationText } from '../../shared/call-card';
import { clock, dialable, tidyNumber } from '../src/core/format';
import { endStatusText, lang, MESSAGES, pickLang, t } from '../src/i18n';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('mini-program units', () => {
  it('[MP-01] zh-CN first and English complete: the same keys, no blank text', () => {
    expect(keys(MESSAGES.en).sort()).toEqual(keys(MESSAGES['zh-CN']).sort());
    for (const d of [MESSAGES.en, MESSAGES['zh-CN']]) {
      for (const k of keys(d))
        expect(String(k.split('.').reduce<unknown>((n, p) => (n as never)[p], d)).trim()).not.toBe('');
    }
    expect(pickLang('zh_CN')).toBe('zh-CN');
    expect(pickLang(undefined)).toBe('zh-CN');
    expect(pickLang('en-US')).toBe('en');
    lang.value = 'en';
    expect(t('login.resendIn', { s: 42 })).toBe('Resend in 42 s');
    expect(endStatusText('clientError')).toBe('You did not answer');
    expect(endStatusText('somethingNew')).toBe('somethingNew');
    lang.value = 'zh-CN';
    expect(t('login.resendIn', { s: 42 })).toBe('42 秒后重发');
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('[MP-03] a pasted number is tidied the way the server reads it; the dial button knows a number when it sees one', () => {
    expect(tidyNumber('１３８ 0013-8000')).toBe('13800138000');
    expect(tidyNumber('(010) 6552.8888')).toBe('01065528888');
    expect(dialable('13800138000')).toBe(true);
    expect(dialable('+8613800138000')).toBe(true);
    expect(dialable('1234')).toBe(false);
    expect(dialable('13800a38000')).toBe(false);
    expect(clock(65)).toBe('01:05');
    expect(clock(3725)).toBe('1:02:05');
  });

  it('[MP-05] only well-formed cards show; the place of a number reads in the agent’s language', () => {
    const card = { kind: 'card', status: 'found', title: '李女士', tags: [], fields: [] };
    expect(cardsOf({ screenPop: card, other: { name: 'x' }, bad: null })).toEqual([{ key: 'screenPop', card }]);
    const loc = {
      province: '广东省',
      city: '广州市',
      carrier: '中国移动',
      en: { province: 'Guangdong', city: 'Guangzhou', carrier: 'China Mobile' },
    };
    expect(locationText(loc, 'zh-CN')).toBe('广东省 广州市 · 中国移动');
    expect(locationText(loc, 'en')).toBe('Guangzhou, Guangdong · China Mobile');
    expect(locationText(null, 'en')).toBeNull();
  });
});
