import { randomInt } from 'node:crypto';
import type { MailMessage } from './port.js';

// No look-alikes (0/O, 1/l/I): people type these from a mail into a sign-in form.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password of 14 characters from a 57-letter alphabet (≈ 82 bits). */
export function randomPassword(length = 14): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** What an account mail says. */
export interface AccountMailInput {
  kind: 'welcome' | 'reset';
  tenantId: string;
  tenantName: string;
  name: string;
  email: string;
  password: string;
  /** Where to sign in (`PUBLIC_URL`), when known. */
  signInUrl?: string | undefined;
}

/** The mail that gives a person their (new) password. */
export function accountMail(m: AccountMailInput): MailMessage {
  const lines =
    m.kind === 'welcome'
      ? [`Hello ${m.name},`, '', `An account was created for you at ${m.tenantName} on Switchboard.`]
      : [`Hello ${m.name},`, '', `Your Switchboard password at ${m.tenantName} was reset by an administrator.`];
  lines.push(
    '',
    `Email:    ${m.email}`,
    `Password: ${m.password}`,
    ...(m.signInUrl ? [`Sign in:  ${m.signInUrl}`] : []),
    '',
    m.kind === 'welcome'
      ? 'Keep this password private.'
      : 'You were signed out everywhere; sign in again with this password.',
  );
  return {
    to: m.email,
    tenantId: m.tenantId,
    subject: m.kind === 'welcome' ? `Your Switchboard account at ${m.tenantName}` : 'Your new Switchboard password',
    text: lines.join('\n'),
  };
}
