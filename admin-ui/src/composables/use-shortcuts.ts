/**
 * Keyboard shortcuts: one registry every screen adds to, one listener, and one help overlay
 * (Ctrl+/) that lists them all. Shortcuts use Ctrl(+Shift)+key like Twilio Flex (ui-anchors
 * R18: no bare Alt combos, which type characters on many layouts) and do nothing while the
 * user types in a field (Chatwoot `useKeyboardEvents`), unless a shortcut says otherwise.
 *
 * @example
 * useShortcuts([{ id: 'call.hold', keys: 'Ctrl+Shift+H', label: 'shortcuts.items.hold',
 *   group: 'shortcuts.groups.call', handler: () => hold() }]);
 */
import { markRaw, onScopeDispose, reactive, readonly } from 'vue';

export interface Shortcut {
  /** Unique id; registering an id again replaces the entry. */
  id: string;
  /** `Ctrl+Shift+S`, `Ctrl+/`: modifiers in any order, then one key (case-insensitive). */
  keys: string;
  /** i18n key of what it does (shown in the help overlay). */
  label: string;
  /** i18n key of the help overlay section. */
  group: string;
  handler: (ev: KeyboardEvent) => void;
  /** Also fire while typing in an input (e.g. the help key). */
  allowInInput?: boolean;
  /**
   * Whether the shortcut applies now. Two screens may share keys for related actions (Ctrl+Shift+D:
   * the in-call keypad during a call, the dial pad otherwise); the first that applies fires.
   */
  when?: () => boolean;
}

interface Combo {
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
  key: string;
}

/** Parses `Ctrl+Shift+S`; `Ctrl` also matches ⌘ on macOS. */
export function parseKeys(keys: string): Combo {
  const parts = keys.split('+').map((p) => p.trim().toLowerCase());
  const key = parts.pop() ?? '';
  return {
    ctrl: parts.includes('ctrl'),
    shift: parts.includes('shift'),
    alt: parts.includes('alt'),
    meta: parts.includes('meta'),
    key: key === '' ? '+' : key,
  };
}

/** The key a combo names, from an event: `code` first, so layouts and Shift do not change it. */
function eventKey(ev: KeyboardEvent): string {
  const code = ev.code ?? '';
  if (/^Key[A-Z]$/.test(code)) return code.slice(3).toLowerCase();
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  if (code === 'Slash') return '/';
  return ev.key.toLowerCase();
}

export function matches(ev: KeyboardEvent, combo: Combo): boolean {
  const ctrl = ev.ctrlKey || ev.metaKey;
  return (
    ctrl === (combo.ctrl || combo.meta) &&
    ev.shiftKey === combo.shift &&
    ev.altKey === combo.alt &&
    eventKey(ev) === combo.key
  );
}

/** True while focus is in something the user types into. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  const type = ((el as HTMLInputElement).type || 'text').toLowerCase();
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
}

const registry = reactive(new Map<string, Shortcut>());
let listening = false;

function onKeydown(ev: KeyboardEvent): void {
  if (ev.repeat || ev.defaultPrevented) return;
  const typing = isTyping(ev.target);
  for (const s of registry.values()) {
    if (typing && !s.allowInInput) continue;
    if (!matches(ev, parseKeys(s.keys))) continue;
    if (s.when && !s.when()) continue;
    ev.preventDefault();
    s.handler(ev);
    return;
  }
}

function ensureListening(): void {
  if (listening || typeof window === 'undefined') return;
  window.addEventListener('keydown', onKeydown);
  listening = true;
}

/** Adds shortcuts; they are removed again when the calling component (or scope) goes away. */
export function useShortcuts(shortcuts: Shortcut[]): void {
  ensureListening();
  // Raw entries: the map is reactive (the help overlay lists it), the shortcuts themselves are not.
  for (const s of shortcuts) registry.set(s.id, markRaw(s));
  onScopeDispose(() => {
    for (const s of shortcuts) if (registry.get(s.id) === s) registry.delete(s.id);
  });
}

/** Every registered shortcut (read-only), for the help overlay. */
export function registeredShortcuts(): ReadonlyMap<string, Readonly<Shortcut>> {
  return readonly(registry) as ReadonlyMap<string, Readonly<Shortcut>>;
}

/** Shows `Ctrl+Shift+S` as `⌘⇧S` on macOS and as written elsewhere. */
export function displayKeys(
  keys: string,
  mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform),
): string {
  if (!mac) return keys;
  return keys
    .replace(/Ctrl\+/gi, '⌘')
    .replace(/Shift\+/gi, '⇧')
    .replace(/Alt\+/gi, '⌥');
}
