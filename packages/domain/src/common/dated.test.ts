import { describe, expect, it } from 'vitest';
import { addDays } from '../analytics/selection.ts';
import { happenedOn } from './dated.ts';
import { today } from './lookup.ts';

describe('happenedOn (a bulk row date that records what has happened)', () => {
  const schema = happenedOn('occurredOn', 'a signal is recorded once it has happened');
  const codes = (value: string) => {
    const result = schema.safeParse(value);
    return result.success
      ? []
      : result.error.issues.map(i => (i as { params?: { code?: string } }).params?.code ?? i.code);
  };

  it('takes today and earlier days', () => {
    expect(schema.parse(today())).toBe(today());
    expect(schema.parse('2020-02-29')).toBe('2020-02-29');
  });

  it('refuses a day after today as DATE_IN_FUTURE, naming today', () => {
    const tomorrow = addDays(today(), 1);
    const result = schema.safeParse(tomorrow);
    expect(result.success).toBe(false);
    expect(codes(tomorrow)).toEqual(['DATE_IN_FUTURE']);
    expect(result.error?.issues[0]?.message).toBe(
      `occurredOn (${tomorrow}) is after today (${today()}): a signal is recorded once it has happened. Date it today or earlier.`,
    );
  });

  it('a malformed date is only malformed, not also after today', () => {
    // "2026-13-40" sorts after any real day; it is no day at all, so one problem is named.
    expect(codes('2099-13-40')).toHaveLength(1);
    expect(codes('2099-13-40')).not.toContain('DATE_IN_FUTURE');
  });
});
