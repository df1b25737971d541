import { describe, expect, it } from 'vitest';
import { fieldErrors, initialValues, settingFields, settingsToSend } from './settings-fields';

// What zod's toJSONSchema makes of a plugin's tenantSettings (see the server's plugin settings test).
const schema = {
  type: 'object',
  properties: {
    corpId: { type: 'string', minLength: 2, description: 'Corp ID' },
    agentId: { type: 'integer', exclusiveMinimum: 0, default: 1000002 },
    corpSecret: { type: 'string', minLength: 8, description: 'Corp secret', secret: true, writeOnly: true },
    mode: { type: 'string', enum: ['card', 'text'] },
    notify: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['corpId', 'agentId', 'corpSecret'],
  additionalProperties: false,
};

describe('plugin settings form from the JSON Schema (INT-03)', () => {
  it('[INT-03] one field per setting: secrets, choices, numbers, switches, JSON for the rest', () => {
    expect(settingFields(schema)).toEqual([
      { key: 'corpId', kind: 'text', label: 'Corp ID', required: true },
      { key: 'agentId', kind: 'integer', label: 'agentId', required: false, default: 1000002 },
      { key: 'corpSecret', kind: 'secret', label: 'Corp secret', required: true },
      { key: 'mode', kind: 'choice', label: 'mode', required: false, choices: ['card', 'text'] },
      { key: 'notify', kind: 'boolean', label: 'notify', required: false },
      { key: 'tags', kind: 'json', label: 'tags', required: false },
    ]);
    expect(settingFields(null)).toEqual([]);
  });

  it('[INT-03] a secret left empty is not sent (the server keeps it); JSON fields are parsed', () => {
    const fields = settingFields(schema);
    const values = initialValues(fields, { corpId: 'ww1', tags: ['a'] });
    expect(values).toEqual({
      corpId: 'ww1',
      agentId: 1000002,
      corpSecret: '',
      mode: '',
      notify: false,
      tags: '[\n  "a"\n]',
    });
    expect(settingsToSend(fields, values)).toEqual({ corpId: 'ww1', agentId: 1000002, notify: false, tags: ['a'] });
    expect(() => settingsToSend(fields, { ...values, tags: '[oops' })).toThrow('tags');
  });

  it('maps the server’s field errors to their fields', () => {
    expect(
      fieldErrors([
        { path: 'body.settings.corpId', message: 'Too small' },
        { path: 'body.settings.corpSecret', message: 'Required' },
        { path: 'body.settings', message: 'Unrecognized key: "x"' },
        { path: 'body.enabled', message: 'ignored here' },
      ]),
    ).toEqual({ corpId: 'Too small', corpSecret: 'Required', '': 'Unrecognized key: "x"' });
  });
});
