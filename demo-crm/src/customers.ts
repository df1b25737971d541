/** A customer of the demo CRM. */
export interface DemoCustomer {
  id: string;
  name: string;
  company: string | null;
  /** Mobile number, national form (11 digits). */
  phone: string;
  level: 'VIP' | 'Gold' | 'Standard';
  tags: string[];
  /** The account manager. */
  owner: string;
  /** Customer since (ISO date). */
  since: string;
  lastOrder: { id: string; date: string; amount: string; summary: string } | null;
  notes: string;
}

/**
 * The seeded customers. The first is the caller of the simulator demo
 * (`POST /api/v1/simulator/calls` calls from 13912345678 by default); the second is the number
 * the end-to-end tests of the inbound path call from. Owners are the demo tenant's agents.
 */
export const DEMO_CUSTOMERS: readonly DemoCustomer[] = Object.freeze([
  {
    id: 'c-1001',
    name: 'Wei Li',
    company: 'Sunrise Trading Co.',
    phone: '13912345678',
    level: 'VIP',
    tags: ['Repeat buyer', 'Invoice by post'],
    owner: 'Agent One',
    since: '2021-03-15',
    lastOrder: { id: 'SO-20931', date: '2026-11-02', amount: '¥12,800.00', summary: '2 × Office chair Pro' },
    notes: 'Prefers calls after 10:00. Asked about bulk pricing for desks.',
  },
  {
    id: 'c-1002',
    name: 'Fang Chen',
    company: 'Blue River Logistics',
    phone: '13812345678',
    level: 'Gold',
    tags: ['Complaint open'],
    owner: 'Agent Two',
    since: '2023-07-01',
    lastOrder: {
      id: 'SO-20877',
      date: '2026-10-21',
      amount: '¥3,450.00',
      summary: 'Standing desk (damaged on delivery)',
    },
    notes: 'Replacement desk promised for next week; ticket T-5521.',
  },
  {
    id: 'c-1003',
    name: 'Min Zhao',
    company: null,
    phone: '13700001111',
    level: 'Standard',
    tags: ['New'],
    owner: 'Agent Three',
    since: '2026-11-20',
    lastOrder: null,
    notes: 'Signed up from the web shop; no order yet.',
  },
]);

/**
 * A phone number reduced to what identifies it here: digits only, without the international
 * prefix of mainland China (`+86 139 1234 5678`, `008613912345678` → `13912345678`).
 */
export function normalizePhone(phone: string): string {
  return phone.replace(/\D/g, '').replace(/^(00)?86(?=1\d{10}$)/, '');
}

/** The customers with this number (any common format), in list order. */
export function findByPhone(customers: readonly DemoCustomer[], phone: string): DemoCustomer[] {
  const wanted = normalizePhone(phone);
  if (!wanted) return [];
  return customers.filter((c) => normalizePhone(c.phone) === wanted);
}

/** A number as the demo CRM's own pages show it: `139****5678`. */
export function maskPhone(phone: string): string {
  const d = phone.replace(/\D/g, '');
  return d.length >= 8 ? `${d.slice(0, -8)}****${d.slice(-4)}` : '*'.repeat(d.length);
}
