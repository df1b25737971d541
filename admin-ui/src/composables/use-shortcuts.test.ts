import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { displayKeys, isTyping, parseKeys, registeredShortcuts, useShortcuts, type Shortcut } from './use-shortcuts';

function press(target: EventTarget, init: KeyboardEventInit): KeyboardEvent {
  const ev = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(ev);
  return ev;
}

function host(shortcuts: Shortcut[]) {
  return mount(
    defineComponent({
      setup() {
        useShortcuts(shortcuts);
        return () => h('div', [h('input', { id: 'text' }), h('input', { id: 'box', type: 'checkbox' })]);
      },
    }),
    { attachTo: document.body },
  );
}

describe('useShortcuts', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('fires Ctrl+Shift+S by key code, whatever the layout types', () => {
    const hits: string[] = [];
    const w = host([{ id: 'test.s', keys: 'Ctrl+Shift+S', label: 'x', group: 'g', handler: () => hits.push('s') }]);
    const ev = press(document.body, { key: 'Ś', code: 'KeyS', ctrlKey: true, shiftKey: true });
    expect(hits).toEqual(['s']);
    expect(ev.defaultPrevented).toBe(true);
    // Not without Shift, not with Alt (AltGr types characters on many layouts).
    press(document.body, { key: 's', code: 'KeyS', ctrlKey: true });
    press(document.body, { key: 's', code: 'KeyS', ctrlKey: true, shiftKey: true, altKey: true });
    expect(hits).toEqual(['s']);
    w.unmount();
  });

  it('does nothing while the user types in a field, unless the shortcut allows it', () => {
    const hits: string[] = [];
    const w = host([
      { id: 'test.s', keys: 'Ctrl+Shift+S', label: 'x', group: 'g', handler: () => hits.push('s') },
      { id: 'test.help', keys: 'Ctrl+/', label: 'y', group: 'g', allowInInput: true, handler: () => hits.push('help') },
    ]);
    const text = document.getElementById('text')!;
    press(text, { key: 'S', code: 'KeyS', ctrlKey: true, shiftKey: true });
    expect(hits).toEqual([]);
    press(text, { key: '/', code: 'Slash', ctrlKey: true });
    expect(hits).toEqual(['help']);
    // A checkbox is not typing.
    press(document.getElementById('box')!, { key: 'S', code: 'KeyS', ctrlKey: true, shiftKey: true });
    expect(hits).toEqual(['help', 's']);
    w.unmount();
  });

  it('lists what is registered and forgets it when the component goes away', () => {
    const w = host([{ id: 'test.x', keys: 'Ctrl+Shift+X', label: 'x', group: 'g', handler: () => undefined }]);
    expect(registeredShortcuts().has('test.x')).toBe(true);
    w.unmount();
    expect(registeredShortcuts().has('test.x')).toBe(false);
  });

  it('parses and displays key combinations', () => {
    expect(parseKeys('Ctrl+Shift+S')).toEqual({ ctrl: true, shift: true, alt: false, meta: false, key: 's' });
    expect(parseKeys('Ctrl+/')).toMatchObject({ ctrl: true, key: '/' });
    expect(displayKeys('Ctrl+Shift+S', true)).toBe('⌘⇧S');
    expect(displayKeys('Ctrl+Shift+S', false)).toBe('Ctrl+Shift+S');
    const input = document.createElement('textarea');
    expect(isTyping(input)).toBe(true);
    expect(isTyping(document.createElement('button'))).toBe(false);
  });
});
