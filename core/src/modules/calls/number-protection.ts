import type { TenantRow } from '../tenants/schema.js';

/** Whether a tenant hides customer numbers from agents (RT-07). */
export function numberProtectionOn(tenant: TenantRow | undefined): boolean {
  return tenant?.settings?.numberProtection === true;
}

/**
 * Masks the four digits before the last four (RT-07): `13812345678` → `138****5678`. Numbers
 * shorter than eight digits keep only their last two visible, so nothing protected leaks.
 */
export function maskNumber(n: string): string {
  const d = n.replace(/\s/g, '');
  if (d.length >= 8) return `${d.slice(0, d.length - 8)}****${d.slice(-4)}`;
  if (d.length <= 2) return '*'.repeat(d.length);
  return '*'.repeat(d.length - 2) + d.slice(-2);
}
