/**
 * The call-card source both frontends share (`shared/call-card.ts`): its shapes equal the
 * server's (the type check, `npm run typecheck`, fails on a difference), and what it makes of a
 * plugin's untrusted output is what both the web app and the mini-program show.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CallerLocation as CoreCallerLocation } from '../../core/src/modules/caller-location/lookup.js';
import type { UiCard as CoreUiCard } from '../../core/src/plugins/types.js';
import { cardsOf, isUiCard, locationText, safeLink, type CallerLocation, type UiCard } from '../../shared/call-card.js';
import type { CallerLocation as OfferCallerLocation } from '../src/stores/call-model.js';

const card = {
  kind: 'card',
  status: 'found',
  title: 'Wei Li',
  tags: ['VIP'],
  fields: [{ label: 'Owner', value: 'A' }],
};

describe('shared call card', () => {
  it('has the server’s shapes', () => {
    expectTypeOf<UiCard>().toEqualTypeOf<CoreUiCard>();
    expectTypeOf<CallerLocation>().toEqualTypeOf<CoreCallerLocation>();
    expectTypeOf<OfferCallerLocation>().toEqualTypeOf<CoreCallerLocation>();
  });

  it('[INT-02] [MP-05] keeps only well-formed cards, checked field by field', () => {
    expect(isUiCard(card)).toBe(true);
    expect(isUiCard({ ...card, subtitle: 'Sunrise Trading' })).toBe(true);
    for (const bad of [
      null,
      'card',
      { ...card, kind: 'note' },
      { ...card, status: 'maybe' },
      { ...card, title: 7 },
      { ...card, subtitle: null },
      { ...card, tags: ['VIP', 1] },
      { ...card, fields: [{ label: 'Owner' }] },
      { ...card, fields: [null] },
      { ...card, link: 'https://crm.example.com' },
    ])
      expect(isUiCard(bad), JSON.stringify(bad)).toBe(false);
    expect(cardsOf({ b: card, a: { name: 'x' }, c: null, d: { ...card, status: 'maybe' } })).toEqual([
      { key: 'b', card },
    ]);
    expect(cardsOf(undefined)).toEqual([]);
    expect(cardsOf(null)).toEqual([]);
  });

  it('[INT-02] [MP-05] a card keeps an http(s) link only: any other link is dropped, the card kept', () => {
    const linked = { ...card, link: { label: 'Open', url: 'https://crm.example.com/c/1' } };
    expect(cardsOf({ screenPop: linked })).toEqual([{ key: 'screenPop', card: linked }]);
    for (const link of [
      { label: 'Open', url: 'javascript:alert(1)' },
      { label: 'Open', url: 'data:text/html,<script>alert(1)</script>' },
      { label: 'Open', url: '/relative' },
      { label: 7, url: 'https://crm.example.com' },
      { label: 'Open' },
      'https://crm.example.com',
      null,
    ]) {
      const [shown] = cardsOf({ screenPop: { ...card, link } });
      expect(shown?.card, JSON.stringify(link)).toEqual(card);
      expect(shown && 'link' in shown.card).toBe(false);
    }
    expect(safeLink('http://crm.example.com')).toBe('http://crm.example.com/');
    expect(safeLink('JAVASCRIPT:alert(1)')).toBeNull();
  });

  it('[IN-06] [MP-05] names a place in the agent’s language, a municipality once', () => {
    const en = { province: 'Guangdong', city: 'Guangzhou', carrier: 'China Mobile' };
    const gz: CallerLocation = { province: '广东省', city: '广州市', carrier: '中国移动', en, lineType: 'mobile' };
    expect(locationText(gz, 'zh-CN')).toBe('广东省 广州市 · 中国移动');
    expect(locationText(gz, 'en')).toBe('Guangzhou, Guangdong · China Mobile');
    expect(locationText(gz, 'en-US')).toBe('Guangzhou, Guangdong · China Mobile');
    const bj = {
      province: '北京市',
      city: '北京市',
      carrier: null,
      en: { province: 'Beijing', city: 'Beijing', carrier: null },
    };
    expect(locationText(bj, 'zh-CN')).toBe('北京市');
    expect(locationText(bj, 'en')).toBe('Beijing');
    // Without English names the zh-CN ones still say where.
    expect(locationText({ province: '广东省', city: null, carrier: null, en: null }, 'en')).toBe('广东省');
    expect(locationText({ province: null, city: null, carrier: null }, 'zh-CN')).toBeNull();
    expect(locationText(null, 'en')).toBeNull();
    expect(locationText(undefined, 'zh-CN')).toBeNull();
  });
});
