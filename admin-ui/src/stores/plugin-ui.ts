/**
 * What the tenant's plugins add to the workbench (typed UI contributions, issue 12): agent
 * actions on the call card. Loaded once per sign-in; plugins run no code in the app.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, quiet, type Schemas } from '@/api/request';
import { useAuthStore } from './auth';

export type PluginAction = Schemas['PluginUi']['actions'][number];
export type PluginField = PluginAction['fields'][number];

export const usePluginUiStore = defineStore('plugin-ui', () => {
  const auth = useAuthStore();
  const actions = ref<PluginAction[]>([]);
  let loading: Promise<void> | null = null;
  /** Whose contributions are loaded: another user signing in on the tab gets their own. */
  let loadedFor: string | null = null;

  /** Loads the contributions (once per user; `force` asks again, e.g. after an admin changed plugins). */
  function load(force = false): Promise<void> {
    const who = auth.user?.id ?? null;
    if (loading && !force && loadedFor === who) return loading;
    loadedFor = who;
    loading = (async () => {
      // Quiet: a workbench without plugin actions is still a workbench.
      const r = await api.GET('/api/v1/plugins/ui', { ...quiet });
      actions.value = r.data?.actions ?? [];
    })();
    return loading;
  }

  /** The actions shown on a call card. */
  function forCalls(): PluginAction[] {
    return actions.value.filter((a) => a.placement === 'call');
  }

  function $reset(): void {
    actions.value = [];
    loading = null;
    loadedFor = null;
  }

  return { actions, load, forCalls, $reset };
});
