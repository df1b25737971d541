/**
 * The cards plugins put on a call (`annotations`: a CRM's customer card, MP-05), read defensively:
 * anything that is not a card is left out, and links are http(s) only.
 */

/** A plugin's card, as core's `UiCard` describes it. */
export interface UiCard {
  kind: 'card';
  status: 'found' | 'notFound' | 'unavailable';
  title: string;
  subtitle?: string;
  tags: string[];
  fields: Array<{ label: string; value: string }>;
  link?: { label: string; url: string };
}

function isCard(v: unknown): v is UiCard {
  const c = v as Partial<UiCard> | null;
  return (
    !!c &&
    typeof c === 'object' &&
    c.kind === 'card' &&
    typeof c.title === 'string' &&
    Array.isArray(c.tags) &&
    Array.isArray(c.fields)
  );
}

/** The cards among a call's annotations, by plugin key. */
export function cardsOf(annotations: Record<string, unknown> | undefined): Array<{ key: string; card: UiCard }> {
  return Object.entries(annotations ?? {})
    .filter((e): e is [string, UiCard] => isCard(e[1]))
    .map(([key, card]) => ({ key, card }));
}

/** Where a number is from (IN-06) as the server sends it. */
export interface CallerLocation {
  province: string | null;
  city: string | null;
  carrier: string | null;
  en?: { province: string | null; city: string | null; carrier: string | null } | null;
}

/** "广东省 广州市 · 中国移动" (zh) or "Guangzhou, Guangdong · China Mobile" (en); null when unknown. */
export function locationText(loc: CallerLocation | null | undefined, lang: string): string | null {
  if (!loc) return null;
  const en = lang.startsWith('en') && loc.en ? loc.en : null;
  const n = en ?? loc;
  const place = en
    ? [n.city, n.province].filter((p, i, a) => p && a.indexOf(p) === i).join(', ')
    : [n.province, n.city].filter((p, i, a) => p && a.indexOf(p) === i).join(' ');
  const parts = [place, n.carrier].filter((p): p is string => !!p);
  return parts.length ? parts.join(' · ') : null;
}
