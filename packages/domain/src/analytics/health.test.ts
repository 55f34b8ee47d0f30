/**
 * Stakeholder coverage in a key account's health (domain §6): an account whose decision makers
 * are not mapped has no coverage to show, which counts as none (0), as in relationship strength;
 * its weight is not shared among the other components, so removing an uncovered decision maker
 * from the stakeholder map cannot raise the score.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';
import { accountHealth, type HealthInputs } from './health.ts';

// Relationship strength 50, no plan (freshness 0), no proven value (0), no surveys and no
// revenue history (satisfaction and margin trend drop out).
const inputs = (influential: number, covered: number): HealthInputs => ({
  relationshipStrength: 50,
  influential,
  covered,
  hasPlan: false,
  lastReviewOn: null,
  planStartsOn: null,
  planApprovedOn: null,
  provenRecognised: 0,
  provenNotRecognised: 0,
  surveySum: 0,
  surveyCount: 0,
  ttmRevenue: 0n,
  ttmGrossProfit: 0n,
  priorRevenue: 0n,
  priorGrossProfit: 0n,
});

const coverageOf = (h: ReturnType<typeof accountHealth>) =>
  h.components.find(c => c.key === 'stakeholderCoverage')!;

describe('stakeholder coverage in health', () => {
  it('counts an uncovered influential contact as coverage 0', () => {
    // Present weights: relationship 20 + coverage 20 + freshness 15 + proven 15 = 70.
    // Relationship 50 × 20/70 = 14.2857…; coverage 0 of 1 → 0; freshness 0; proven 0.
    // Score 14.2857… → 14.3, RED (< 40).
    const h = accountHealth(inputs(1, 0), DEFAULT_SETTINGS, '2026-09-30');
    expect(coverageOf(h)).toMatchObject({
      value: 0,
      contribution: 0,
      explanation:
        '0 of 1 influential contacts have a counterpart; give every influential contact a peer on our side.',
    });
    expect([h.score, h.status]).toEqual([14.3, 'RED']);
  });

  it('counts no influential contacts as coverage 0 too: the score does not rise when they are removed', () => {
    // The same as above with the contact's influence lowered to 3: coverage is still 0 and keeps
    // its weight (present weights still 70), so the score stays 50 × 20/70 = 14.3. (Had coverage
    // dropped out, its weight would be shared: 50 × 20/50 = 20.)
    const h = accountHealth(inputs(0, 0), DEFAULT_SETTINGS, '2026-09-30');
    expect(coverageOf(h)).toMatchObject({
      value: 0,
      weight: 20,
      contribution: 0,
      explanation: 'No influential (4+) contacts on the stakeholder map: map the decision makers.',
    });
    expect([h.score, h.status]).toEqual([14.3, 'RED']);
    expect(h.components.find(c => c.key === 'relationshipStrength')!.contribution).toBe(14.3);
  });
});
