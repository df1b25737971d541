import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { i18n } from '@/locales';
import { useRealtimeStore } from '@/stores/realtime';
import { setPhoneFactory, usePhoneStore } from '@/stores/phone';
import { fakeServer, frame, offerData, signInAgent, TestPhone } from '@/test-support/call-fixtures';
import OfferCard from './offer-card.vue';

const realFetch = globalThis.fetch;

async function setUp(locale: 'zh-CN' | 'en', offer = offerData()) {
  i18n.global.locale.value = locale;
  const pinia = createPinia();
  setActivePinia(pinia);
  globalThis.fetch = fakeServer({
    'GET /api/v1/me/answering': { body: { answerMode: 'webrtc', autoAnswer: false } },
  }).fetch;
  const phone = new TestPhone();
  setPhoneFactory(async () => phone);
  await usePhoneStore().start();
  const wrapper = mount(OfferCard, { global: { plugins: [pinia, i18n] }, attachTo: document.body });
  useRealtimeStore().dispatch(frame('call.offer', offer));
  await flushPromises();
  return { wrapper, phone };
}

describe('offer card', () => {
  beforeEach(() => signInAgent());
  afterEach(() => {
    globalThis.fetch = realFetch;
    document.body.innerHTML = '';
  });

  it('[IN-04] [IN-05] [IN-06] [IN-07] [INT-02] shows the masked caller, the number dialled, the location, the key trail and the CRM card', async () => {
    const { wrapper } = await setUp('zh-CN');
    const card = wrapper.get('[data-testid="offer-card"]');
    expect(card.get('[data-testid="offer-caller"]').text()).toBe('139****5678');
    expect(card.text()).not.toContain('13912345678');
    expect(card.get('[data-testid="company-number"]').text()).toBe('4001000000 · Demo hotline');
    expect(card.get('[data-testid="caller-location"]').text()).toBe('广东省 广州市 · 中国移动');
    const trail = card.get('[data-testid="ivr-trail"]').findAll('li');
    expect(trail.map((li) => [li.get('kbd').text(), li.get('span').text()])).toEqual([['1', 'Presales']]);
    const crm = card.get('[data-testid="plugin-card"]');
    expect(crm.attributes('data-status')).toBe('found');
    expect(crm.text()).toContain('Wei Li');
    expect(crm.text()).toContain('VIP');
    expect(crm.get('a').attributes()).toMatchObject({
      href: 'https://crm.example.com/customers/c-1001',
      target: '_blank',
      rel: 'noopener noreferrer',
    });
    expect(card.get('[data-testid="offer-countdown"]').text()).toMatch(/^剩余振铃\s*(20|19) 秒$/);
    expect(card.find('[role="dialog"]').exists() || card.attributes('role') === 'dialog').toBe(true);
  });

  it('[IN-04] Answer waits for the softphone to ring, then answers on it', async () => {
    const { wrapper, phone } = await setUp('en');
    const answer = wrapper.get('[data-testid="offer-answer"]');
    expect(answer.attributes('disabled')).toBeDefined();
    expect(wrapper.get('[data-testid="offer-answer-blocked"]').text()).toContain('Connecting the call');
    phone.ring();
    await flushPromises();
    expect(wrapper.get('[data-testid="offer-answer"]').attributes('disabled')).toBeUndefined();
    await wrapper.get('[data-testid="offer-answer"]').trigger('click');
    await flushPromises();
    expect(phone.asked).toContain('answer');
  });

  it('[INT-02] a CRM that could not be asked reads "unavailable", in words and not only colour', async () => {
    const offer = offerData({
      annotations: {
        screenPop: {
          kind: 'card',
          status: 'unavailable',
          title: 'CRM unavailable',
          subtitle: 'Try again later',
          tags: [],
          fields: [],
        },
      },
      callerLocation: null,
    });
    const { wrapper } = await setUp('en', offer);
    const crm = wrapper.get('[data-testid="plugin-card"]');
    expect(crm.attributes('data-status')).toBe('unavailable');
    expect(crm.text()).toContain('CRM unavailable');
    expect(crm.text()).toContain('(unavailable)');
    expect(wrapper.get('[data-testid="caller-location"]').text()).toBe('Unknown');
  });

  it('[INT-02] a plugin link that is not http(s) is never rendered as a link', async () => {
    const offer = offerData({
      annotations: {
        screenPop: {
          kind: 'card',
          status: 'found',
          title: 'X',
          tags: [],
          fields: [],
          link: { label: 'Open', url: 'javascript:alert(1)' },
        },
      },
    });
    const { wrapper } = await setUp('en', offer);
    expect(wrapper.get('[data-testid="plugin-card"]').find('a').exists()).toBe(false);
  });
});
