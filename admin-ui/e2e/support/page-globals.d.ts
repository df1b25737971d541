/**
 * The few browser globals the tests use inside `page.evaluate(() => …)`: that code runs in the
 * page, but is type-checked with the Node tests (no DOM library there).
 */
interface PageElement {
  getAttribute(name: string): string | null;
}

declare const document: {
  body: unknown;
  activeElement: unknown;
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(selector: string): PageElement | null;
};

declare const localStorage: {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
};

declare const window: object;

declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: unknown, options: { subtree?: boolean; childList?: boolean; attributes?: boolean }): void;
}
