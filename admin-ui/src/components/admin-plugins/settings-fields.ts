/**
 * The form of a plugin's tenant settings, read from the JSON Schema the server sends
 * (`settingsSchema`, made by zod from the plugin's `tenantSettings`): one field per top-level
 * property, of a kind the console can edit. Anything richer (nested objects, arrays) is shown as
 * JSON text, so no plugin needs code in the app to be configured.
 */

/** One editable setting. */
export interface SettingField {
  key: string;
  kind: 'text' | 'secret' | 'number' | 'integer' | 'boolean' | 'choice' | 'json';
  /** The schema's `description` (or `title`), else the key. */
  label: string;
  required: boolean;
  choices?: string[];
  min?: number;
  max?: number;
  default?: unknown;
}

type JsonSchema = {
  type?: string | string[];
  description?: string;
  title?: string;
  enum?: unknown[];
  secret?: boolean;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

function kindOf(s: JsonSchema): SettingField['kind'] {
  if (s.secret) return 'secret';
  if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string')) return 'choice';
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'string') return 'text';
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (type === 'boolean') return 'boolean';
  // `.optional()`/`.nullable()` may come as anyOf with null.
  const inner = s.anyOf?.find((a) => a.type !== 'null');
  return inner ? kindOf(inner) : 'json';
}

/** The fields of a settings schema, in the schema's order. */
export function settingFields(schema: Record<string, unknown> | null | undefined): SettingField[] {
  const root = (schema ?? {}) as JsonSchema;
  const required = new Set(root.required ?? []);
  return Object.entries(root.properties ?? {}).map(([key, s]) => {
    const kind = kindOf(s);
    return {
      key,
      kind,
      label: s.description ?? s.title ?? key,
      // A field with a default need not be filled in.
      required: required.has(key) && s.default === undefined,
      ...(kind === 'choice' ? { choices: (s.enum as string[]).slice() } : {}),
      ...(s.minimum !== undefined ? { min: s.minimum } : {}),
      ...(s.maximum !== undefined ? { max: s.maximum } : {}),
      ...(s.default !== undefined ? { default: s.default } : {}),
    };
  });
}

/**
 * The `settings` to send from the form's values: empty optional fields left out, a secret left
 * empty left out (the server keeps the stored one), JSON fields parsed. Throws naming the key of
 * a JSON field that does not parse.
 */
export function settingsToSend(fields: SettingField[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (v === undefined || v === null || v === '') continue;
    if (f.kind === 'json' && typeof v === 'string') {
      try {
        out[f.key] = JSON.parse(v);
      } catch {
        throw new SyntaxError(f.key);
      }
      continue;
    }
    out[f.key] = v;
  }
  return out;
}

/** The form's starting values: saved settings, else defaults; secrets always empty. */
export function initialValues(fields: SettingField[], saved: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.kind === 'secret') out[f.key] = '';
    else if (f.key in saved) out[f.key] = f.kind === 'json' ? JSON.stringify(saved[f.key], null, 2) : saved[f.key];
    else if (f.default !== undefined) out[f.key] = f.kind === 'json' ? JSON.stringify(f.default, null, 2) : f.default;
    else out[f.key] = f.kind === 'boolean' ? false : '';
  }
  return out;
}

/** Field errors from the server's `validation_failed` details (`body.settings.<key>`), by key. */
export function fieldErrors(details: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(details)) return out;
  for (const d of details as Array<{ path?: unknown; message?: unknown }>) {
    if (typeof d.path !== 'string' || typeof d.message !== 'string') continue;
    const m = /^body\.settings(?:\.([^.]+))?/.exec(d.path);
    if (!m) continue;
    const key = m[1] ?? '';
    out[key] = out[key] ? `${out[key]}; ${d.message}` : d.message;
  }
  return out;
}
