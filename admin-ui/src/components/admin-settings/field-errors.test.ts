import { describe, expect, it } from 'vitest';
import { errorAt, fieldErrorsOf, itemError } from './field-errors';

describe('field errors', () => {
  it('keys the server details by field path, first message wins', () => {
    const body = {
      error: {
        code: 'validation_failed',
        message: 'x',
        details: [
          { path: 'body.agent.wrapUpSeconds', message: 'Too big' },
          { path: 'body.agent.wrapUpSeconds', message: 'second' },
          { path: 'body.calendars.0.schedule.1.days', message: 'Too small' },
          { path: 'body', message: 'send at least one setting' },
          { path: 3, message: 'ignored' },
        ],
      },
    };
    const e = fieldErrorsOf(body);
    expect(e).toEqual({
      'agent.wrapUpSeconds': 'Too big',
      'calendars.0.schedule.1.days': 'Too small',
      '': 'send at least one setting',
    });
    expect(errorAt(e, 'calendars.0.schedule')).toBe('Too small');
    expect(errorAt(e, 'calendars.0.holidays')).toBeUndefined();
    expect(itemError(e, 'agent.wrapUpSeconds')).toEqual({ status: 'error', tips: 'Too big' });
    expect(itemError(e, 'agent.restReasons')).toEqual({});
    expect(fieldErrorsOf(undefined)).toEqual({});
  });
});
