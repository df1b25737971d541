import { afterEach, describe, expect, it, vi } from 'vitest';

/** One browser tab: its own copy of the module (module state is per tab), sharing the channel. */
async function tab() {
  vi.resetModules();
  const { useWorkbenchTab } = await import('./use-workbench-tab');
  return useWorkbenchTab();
}

const settle = () => new Promise((r) => setTimeout(r, 50));
const tabs: Array<Awaited<ReturnType<typeof tab>>> = [];

afterEach(() => {
  for (const t of tabs.splice(0)) t.release();
});

describe('one workbench per agent per browser', () => {
  it('a newer tab takes the workbench over from an idle one', async () => {
    const old = await tab();
    tabs.push(old);
    let stopped = 0;
    old.claim('u1', async () => void stopped++);
    const fresh = await tab();
    tabs.push(fresh);
    fresh.claim('u1', async () => undefined);
    await expect.poll(() => old.superseded.value).toBe(true);
    expect(stopped).toBe(1);
    expect(old.busyElsewhere.value).toBe(false);
    expect(fresh.superseded.value).toBe(false);
  });

  it('a tab on a call keeps the workbench: the newer tab says it is busy elsewhere, and the call is not cut', async () => {
    const old = await tab();
    tabs.push(old);
    let stopped = 0;
    let onCall = true;
    old.claim(
      'u2',
      async () => void stopped++,
      () => onCall,
    );
    const fresh = await tab();
    tabs.push(fresh);
    fresh.claim('u2', async () => undefined);
    await expect.poll(() => fresh.busyElsewhere.value).toBe(true);
    expect(fresh.superseded.value).toBe(true);
    await settle();
    expect(old.superseded.value).toBe(false);
    expect(old.owner.value).toBe(true);
    expect(stopped).toBe(0);

    // Once the call ended, "use it here" works.
    onCall = false;
    fresh.claim('u2', async () => undefined);
    await expect.poll(() => old.superseded.value).toBe(true);
    expect(stopped).toBe(1);
    expect(fresh.superseded.value).toBe(false);
    expect(fresh.busyElsewhere.value).toBe(false);
  });
});
