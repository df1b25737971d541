/**
 * vue-i18n set-up: zh-CN by default, English as the other language. Messages live in one JSON
 * file per feature (namespace) under `locales/<lang>/<namespace>.json`, both languages with the
 * same files and keys (`locales.test.ts`); a key reads `namespace.path`, e.g. `auth.submit`.
 */
import { createI18n } from 'vue-i18n';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

type Messages = Record<string, unknown>;

const files = import.meta.glob<Messages>('./*/*.json', { eager: true, import: 'default' });

/** `{ 'zh-CN': { auth: {...}, … }, en: {...} }` from the files. */
export function messagesFrom(modules: Record<string, Messages>): Record<string, Record<string, Messages>> {
  const out: Record<string, Record<string, Messages>> = {};
  for (const [path, content] of Object.entries(modules)) {
    const m = /^\.\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!m) continue;
    const [, lang, ns] = m as unknown as [string, string, string];
    (out[lang] ??= {})[ns] = content;
  }
  return out;
}

export const messages = messagesFrom(files);

const STORAGE_KEY = 'switchboard.locale';

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** The saved choice, else the browser's language when it is one of ours, else zh-CN. */
export function initialLocale(): Locale {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  if (isLocale(saved)) return saved;
  return DEFAULT_LOCALE;
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages,
  // A missing key is a bug (the parity test catches it); say so in development only.
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

/** Switches the UI language and remembers it. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

/** The current UI language. */
export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale;
}

/** Translates outside components (stores, the API client). */
export const t = i18n.global.t;
