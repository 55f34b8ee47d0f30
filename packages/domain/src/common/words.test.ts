import { describe, expect, it } from 'vitest';
import { counted, quoted, signed } from './words.ts';

describe('words', () => {
  it('puts the noun in the number of the count', () => {
    expect([counted(0, 'month'), counted(1, 'month'), counted(3, 'month')]).toEqual([
      '0 months',
      '1 month',
      '3 months',
    ]);
    expect(counted(2, 'value initiative')).toBe('2 value initiatives');
    expect(counted(1, 'proven value')).toBe('1 proven value');
  });

  it('writes a signed figure with a true minus sign', () => {
    expect([signed(1.5), signed(-1.9), signed(0)]).toEqual(['+1.5', '−1.9', '0']);
  });

  it('quotes a text on one line, cut with an ellipsis past the limit', () => {
    expect(quoted('Call the CFO')).toBe('"Call the CFO"');
    expect(quoted('Agree the\n  joint roadmap', 60)).toBe('"Agree the joint roadmap"');
    expect(quoted('abcdefghij', 10)).toBe('"abcdefghij"');
    expect(quoted('abcdefghijk', 10)).toBe('"abcdefghi…"');
  });
});
