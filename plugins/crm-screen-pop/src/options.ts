import { HOOK_POLICIES, singleLine } from '@switchboard/core/plugin';
import { z } from 'zod';

/**
 * Time the handler keeps for itself inside the host's `call.incoming` budget: after the CRM
 * request gives up, building and returning the card must still land before the host stops
 * waiting (and drops the answer).
 */
const HANDLER_MARGIN_MS = 100;

/** Longest a CRM request may take: the host's per-handler budget minus a margin (700 ms). */
export const MAX_CRM_TIMEOUT_MS = HOOK_POLICIES['call.incoming'].timeoutMs - HANDLER_MARGIN_MS;

/** Default CRM request timeout: well inside {@link MAX_CRM_TIMEOUT_MS}. */
export const DEFAULT_CRM_TIMEOUT_MS = 600;

// RFC 9110 token: what a header name may be made of.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Options of `crmScreenPop(...)`, validated at boot (a bad value marks the plugin failed in the
 * start-up table, naming the key; calls go on without screen pop).
 */
export const crmScreenPopOptions = z
  .object({
    /**
     * The CRM's customer search, `GET <url>?phone=<number>` (query parameters already in the URL
     * are kept). http or https.
     */
    url: z.url({ protocol: /^https?$/, message: 'an http or https URL' }).max(2000),
    /**
     * Credentials sent with every request: a string is the `Authorization` header's value
     * (`Bearer …`, `Basic …`); `{ name, value }` names another header (`X-Api-Key`).
     */
    authHeader: z
      .union([
        singleLine(4000),
        z
          .object({
            name: z.string().regex(HEADER_NAME, 'a header name').max(100),
            value: singleLine(4000),
          })
          .strict(),
      ])
      .optional(),
    /**
     * Longest one CRM request may take, in ms, answer included; then the card says the CRM is
     * unavailable. At most {@link MAX_CRM_TIMEOUT_MS}, so the card always beats the host's budget.
     */
    timeoutMs: z.number().int().min(50).max(MAX_CRM_TIMEOUT_MS).default(DEFAULT_CRM_TIMEOUT_MS),
    /**
     * How long an answer (found or not found) is reused for the same number, in ms; 0 = always
     * ask. An unavailable CRM is never remembered.
     */
    cacheTtlMs: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600 * 1000)
      .default(60_000),
  })
  .strict();

/** What `crmScreenPop(...)` takes. */
export type CrmScreenPopOptions = z.input<typeof crmScreenPopOptions>;

/** The options after validation, defaults applied. */
export type CrmScreenPopConfig = z.output<typeof crmScreenPopOptions>;
