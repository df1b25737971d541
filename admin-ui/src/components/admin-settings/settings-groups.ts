/**
 * Which form shows which tenant setting. Checked against the server's typed schema
 * (`Schemas['TenantSettings']`, generated from the OpenAPI document): a setting the server adds
 * and no form shows is a compile error here, not a silently missing field.
 */
import type { Schemas } from '@/api/request';

export type TenantSettings = Schemas['TenantSettings'];
export type TenantSettingsPatch = Schemas['TenantSettingsPatch'];
export type SettingKey = keyof TenantSettings;

/** The settings page's tabs and the settings (one form each) on them, in order. */
export const SETTING_TABS = {
  calls: ['numberProtection', 'allowPrivateUrls', 'timezone', 'holdMusicUrl', 'tts', 'outboundSurvey'],
  agents: ['agent'],
  hours: ['calendars'],
  integration: ['sdkOrigins'],
} as const satisfies Record<string, readonly SettingKey[]>;

export type SettingTab = keyof typeof SETTING_TABS;
export const TAB_NAMES = Object.keys(SETTING_TABS) as SettingTab[];

type Shown = (typeof SETTING_TABS)[SettingTab][number];
/** `true` only while every setting has a form (see the module comment). */
export const EVERY_SETTING_SHOWN: [Exclude<SettingKey, Shown>] extends [never] ? true : never = true;

/** The survey as its form holds it: the optional words empty when unset. */
export interface SurveyForm {
  enabled: boolean;
  prompt: string;
  options: Array<{ key: string; label: string }>;
  thanksPrompt: string;
  invalidPrompt: string;
  timeoutPrompt: string;
  timeoutSeconds: number;
  maxRetries: number;
}

/** Days of the week as the server names them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** IANA time zones the browser knows, UTC first (the server checks the name too). */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? ['Asia/Shanghai'];
  return ['UTC', ...all.filter((z) => z !== 'UTC')];
}
