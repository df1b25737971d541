import { secretSetting, singleLine } from '@switchboard/core/plugin';
import { z } from 'zod';

/** The hook's budget is 1.5 s: the company's API gets less, so the fallback still fits in it. */
export const MAX_TIMEOUT_MS = 1400;

const template = (placeholder: string) =>
  singleLine(500)
    .regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL')
    .refine((u) => u.includes(placeholder), `the URL must hold ${placeholder}`);

/**
 * What each tenant's admin fills in: where the company's API turns a number into a user ID and
 * back. Answers are JSON: `{ "userId": "U10023" }` for a number, `{ "number": "13912345678" }` for
 * an ID; 404 (or `null`) when the API knows nobody.
 */
export const numberMappingSettings = z
  .object({
    /** The number → user ID address; `{number}` is replaced by the customer's number. */
    identifyUrl: template('{number}'),
    /**
     * The user ID → number address; `{id}` is replaced by the ID an agent dials. Without it
     * agents cannot dial by ID (they still see IDs).
     */
    resolveUrl: template('{id}').optional(),
    /** Sent as the `Authorization` header (e.g. `Bearer …`). */
    authHeader: secretSetting(singleLine(1000).min(1)).optional(),
    /** How long the API may take before agents see the masked number instead, in ms. */
    timeoutMs: z.number().int().min(100).max(MAX_TIMEOUT_MS).default(800),
    /** How long an answer is remembered, in seconds (0: ask every time). Failures are not. */
    cacheTtlSeconds: z.number().int().min(0).max(86_400).default(300),
  })
  .strict();

/** A tenant's settings as saved (defaults not applied). */
export type NumberMappingSettingsInput = z.input<typeof numberMappingSettings>;

/** A tenant's settings as hooks see them. */
export type NumberMappingSettings = z.output<typeof numberMappingSettings>;
