/**
 * "My calls" keeps its filters and page in the URL and asks the server for exactly that
 * (W8, REC-01, ui-anchors R9/R10): opening a URL queries with its filters, paging writes the
 * cursor into the URL, Back returns to the page before, clearing the filters clears the URL.
 * The server is a stub `fetch` answering `GET /records` with rows newest first.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { i18n } from '@/locales';
import { SESSION_KEY } from '@/stores/auth';
import MyCallsView from './my-calls-view.vue';

const ME = '11111111-1111-4111-8111-111111111111';
const realFetch = globalThis.fetch;
/** The query of every `GET /records`, as the server got it. */
let asked: Array<Record<string, string>> = [];

/** 30 calls, one a minute, newest first; the stub honours limit, before and after. */
const ALL = Array.from({ length: 30 }, (_, i) => {
  const startedAt = new Date(Date.UTC(2026, 10, 20, 10, 30 - i)).toISOString();
  return {
    sessionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    direction: 'outbound',
    caller: '4001000000',
    callee: '139****1003',
    endStatus: 1,
    endStatusString: 'ok',
    durationSeconds: 42,
    startedAt,
    acceptedAt: startedAt,
    endedAt: startedAt,
    hungUpSide: 'user',
    servingSkillGroupName: null,
    agentId: ME,
    note: i === 0 ? 'Wants a callback' : null,
    recordingId: null,
  };
});

function serve(q: URLSearchParams) {
  const limit = Number(q.get('limit'));
  const before = q.get('before');
  const after = q.get('after');
  if (after) {
    const newer = ALL.filter((r) => r.startedAt > after);
    return newer.slice(Math.max(0, newer.length - limit));
  }
  return ALL.filter((r) => !before || r.startedAt < before).slice(0, limit);
}

async function setup(url: string): Promise<{ router: Router; wrapper: ReturnType<typeof mount> }> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/workbench/my-calls', name: 'my-calls', component: MyCallsView },
      { path: '/workbench/messages/:peerId?', name: 'messages', component: { template: '<div />' } },
    ],
  });
  await router.push(url);
  await router.isReady();
  const wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router, i18n] } });
  await flushPromises();
  return { router, wrapper };
}

beforeEach(() => {
  localStorage.setItem(
    SESSION_KEY,
    JSON.stringify({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: Date.now() + 60_000,
      user: { id: ME, tenantId: ME, email: 'me@x.y', mobile: null, name: 'Me', staffNo: '3003', role: 'agent' },
    }),
  );
  i18n.global.locale.value = 'en';
  asked = [];
  globalThis.fetch = (async (req: Request) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/api/v1/records') {
      asked.push(Object.fromEntries(url.searchParams));
      return new Response(JSON.stringify({ items: serve(url.searchParams) }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    }
    return new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  setActivePinia(createPinia());
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('my calls view', { timeout: 30_000 }, () => {
  it('[REC-01] opens with the filters of its URL and asks the server for them', async () => {
    const { wrapper } = await setup('/workbench/my-calls?direction=outbound&connected=no&size=50');
    expect(asked).toEqual([{ limit: '51', direction: 'outbound', connected: 'false' }]);
    expect(wrapper.find('[data-testid="filter-clear"]').exists()).toBe(true);
    // The masked number is shown as the server sent it, and is not a dial button.
    expect(wrapper.findAll('[data-testid="row-number"]')[0]?.element.tagName).toBe('SPAN');
    expect(wrapper.text()).toContain('139****1003');
  });

  it('[REC-01] pages with the cursor in the URL; Back returns to the newer page; clearing filters clears the URL', async () => {
    const { router, wrapper } = await setup('/workbench/my-calls?direction=outbound');
    expect(wrapper.get('[data-testid="my-calls-count"]').text()).toContain('25');
    expect(wrapper.get('[data-testid="page-newer"]').attributes('disabled')).toBeDefined();

    await wrapper.get('[data-testid="page-older"]').trigger('click');
    await flushPromises();
    const lastOfFirst = ALL[24]!.startedAt;
    expect(router.currentRoute.value.query).toEqual({ direction: 'outbound', before: lastOfFirst });
    expect(asked.at(-1)).toEqual({ limit: '26', direction: 'outbound', before: lastOfFirst });
    expect(wrapper.get('[data-testid="my-calls-count"]').text()).toContain('5');
    expect(wrapper.get('[data-testid="page-older"]').attributes('disabled')).toBeDefined();

    // "Newer" from the second page asks for the calls after its first row; the stub has only
    // 25 of them, which is the newest page: the view shows the first page instead.
    await wrapper.get('[data-testid="page-newer"]').trigger('click');
    await flushPromises();
    expect(asked.at(-2)).toEqual({ limit: '26', direction: 'outbound', after: ALL[25]!.startedAt });
    expect(router.currentRoute.value.query).toEqual({ direction: 'outbound' });

    router.back();
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ direction: 'outbound', before: lastOfFirst });
    expect(asked.at(-1)).toEqual({ limit: '26', direction: 'outbound', before: lastOfFirst });

    await wrapper.get('[data-testid="filter-clear"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({});
    expect(asked.at(-1)).toEqual({ limit: '26' });
  });
});
