import { describe, expect, it } from 'vitest';
import type { Quarter } from '../common/quarter.ts';
import type { ValueTier } from '../common/vocabulary.ts';
import { isKeyAt, type TierRow } from './account-details.ts';
import { summariseJourney } from './journey.ts';

/** The tier rows of one account: [quarter, tier] pairs. */
function rows(accountId: number, tiers: [string, ValueTier][]): TierRow[] {
  return tiers.map(([quarter, tier]) => ({ accountId, quarter, tier, evidence: `${tier} in ${quarter}` }));
}

describe('the journey summary counts the accounts key at the quarter’s end', () => {
  it('moves, like the distribution, leave out an account not key at the end of the quarter', () => {
    const intervals = new Map([
      // 1: key throughout.
      [1, [{ designatedOn: '2025-01-01', revokedOn: null }]],
      // 2: designated after 2026-Q3 ended (on 2026-12-07): not key on 2026-09-30.
      [2, [{ designatedOn: '2026-12-07', revokedOn: null }]],
      // 3: revoked on 2026-09-15, within 2026-Q3.
      [3, [{ designatedOn: '2025-01-01', revokedOn: '2026-09-15' }]],
      // 4: key on 2026-09-30 only, by a designation of 2026-08-01 after one revoked on 2026-05-01.
      [
        4,
        [
          { designatedOn: '2025-01-01', revokedOn: '2026-05-01' },
          { designatedOn: '2026-08-01', revokedOn: null },
        ],
      ],
    ]);
    const tiers = new Map<number, TierRow[]>([
      [
        1,
        rows(1, [
          ['2026-Q2', 'TIER_3'],
          ['2026-Q3', 'TIER_2'],
        ]),
      ],
      [
        2,
        rows(2, [
          ['2026-Q2', 'TIER_4'],
          ['2026-Q3', 'TIER_2'],
        ]),
      ],
      [
        3,
        rows(3, [
          ['2026-Q2', 'TIER_2'],
          ['2026-Q3', 'TIER_3'],
        ]),
      ],
      [
        4,
        rows(4, [
          ['2026-Q2', 'TIER_2'],
          ['2026-Q3', 'TIER_3'],
        ]),
      ],
    ]);
    const journey = summariseJourney(
      ['2026-Q2', '2026-Q3'] as Quarter[],
      tiers,
      (id, date) => isKeyAt(intervals.get(id), date),
      [1, 2, 3, 4],
    );
    // Key on 2026-09-30: 1 (TIER_2) and 4 (TIER_3). Key on 2026-06-30: 1 (TIER_3) and 3 (TIER_2).
    expect(journey.distribution).toEqual([
      { quarter: '2026-Q2', TIER_4: 0, TIER_3: 1, TIER_2: 1, TIER_1: 0, unassessed: 0 },
      { quarter: '2026-Q3', TIER_4: 0, TIER_3: 1, TIER_2: 1, TIER_1: 0, unassessed: 0 },
    ]);
    // Moves of the accounts key on 2026-09-30 and assessed in both quarters: 1 progressed
    // (TIER_3 → TIER_2) and 4 regressed (TIER_2 → TIER_3: assessed in both, key at the end of
    // 2026-Q3 though not of 2026-Q2). 2 (TIER_4 → TIER_2) and 3 (TIER_2 → TIER_3) were not key
    // on 2026-09-30 and do not count.
    expect([journey.progressed, journey.regressed]).toEqual([1, 1]);
    expect(journey.transitions).toEqual([
      { from: 'TIER_3', to: 'TIER_2', accounts: 1 },
      { from: 'TIER_2', to: 'TIER_3', accounts: 1 },
    ]);
  });
});
