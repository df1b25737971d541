import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { i18n, setLocale } from '@/locales';
import { useAgentStore, type AgentState } from '@/stores/agent';
import StateSelector from './state-selector.vue';

const STATES: AgentState[] = ['idle', 'notReady', 'rest', 'ringing', 'busy', 'afterCallWork', 'offline'];

describe('agent status bar', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    setLocale('en');
  });

  it('[AGT-01] shows every state with its own icon and text, not by colour alone', () => {
    const seen = new Map<string, string>();
    for (const state of STATES) {
      const agent = useAgentStore();
      agent.agent = {
        userId: 'u',
        state,
        reason: state === 'rest' ? 'Meal' : null,
        stateSince: new Date(Date.now() - 65_000).toISOString(),
        sipUser: null,
        currentSessionId: null,
        wrapUpUntil: null,
        resumeState: null,
        callsTaken: 0,
        missedOffers: 0,
      };
      const w = mount(StateSelector, { global: { plugins: [i18n] } });
      const label = w.get('[data-testid="agent-status-label"]').text();
      const icon = w
        .get('.state-bar__icon')
        .html()
        .replace(/class="[^"]*"/g, '');
      expect(label.length).toBeGreaterThan(0);
      expect([...seen.values()]).not.toContain(icon);
      seen.set(label, icon);
      if (state === 'rest') expect(label).toBe('On break: Meal');
      expect(w.get('[data-testid="agent-status-timer"]').text()).toMatch(/^01:0[5-9]$/);
      w.unmount();
    }
    expect([...seen.keys()]).toEqual([
      'Available',
      'Not ready',
      'On break: Meal',
      'Ringing',
      'On a call',
      'Wrap-up',
      'Offline',
    ]);
  });

  it('[AGT-01] uses the zh-CN contact-center vocabulary (示忙 for not ready)', () => {
    setLocale('zh-CN');
    const agent = useAgentStore();
    agent.agent = {
      userId: 'u',
      state: 'notReady',
      reason: null,
      stateSince: new Date().toISOString(),
      sipUser: null,
      currentSessionId: null,
      wrapUpUntil: null,
      resumeState: null,
      callsTaken: 0,
      missedOffers: 0,
    };
    const w = mount(StateSelector, { global: { plugins: [i18n] } });
    expect(w.get('[data-testid="agent-status-label"]').text()).toBe('示忙');
    expect(i18n.global.locale.value).toBe('zh-CN');
    w.unmount();
  });
});
