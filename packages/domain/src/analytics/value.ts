import type { EntityManager } from '@mikro-orm/core';
import { fromCents } from '../common/money.ts';
import { DESIGN_PHASES, INITIATIVE_OUTCOMES, VALUE_CATEGORIES } from '../common/vocabulary.ts';
import type { ValueSummary } from '../snapshots/snapshot.types.ts';
import { loadAccountBase } from './account-base.ts';
import { type InitiativeFacts, initiativeFacts, isProvenRecognised } from './account-details.ts';
import { periodOf } from './period.ts';
import { exactRatio } from './rounding.ts';

/**
 * The value programme (domain §8): initiatives by category, phase and outcome; the measured
 * annual gains of ADOPTED, customer-recognised initiatives (ours only while not copied by a
 * competitor: a copied one earns no premium); and the key accounts with at least one proven,
 * customer-recognised value.
 */
export function summariseValue(
  initiatives: Map<number, InitiativeFacts[]>,
  keyAccountIds: number[],
  asOf: string,
): ValueSummary {
  const byCategory = Object.fromEntries(VALUE_CATEGORIES.map(c => [c, 0])) as ValueSummary['byCategory'];
  const byPhase = Object.fromEntries(DESIGN_PHASES.map(c => [c, 0])) as ValueSummary['byPhase'];
  const byOutcome = Object.fromEntries(
    [...INITIATIVE_OUTCOMES, 'IN_PROGRESS'].map(c => [c, 0]),
  ) as ValueSummary['byOutcome'];
  let count = 0;
  let customerGains = 0n;
  let supplierGains = 0n;
  for (const list of initiatives.values()) {
    for (const i of list) {
      count += 1;
      byCategory[i.category] += 1;
      byPhase[i.phase] += 1;
      byOutcome[i.outcome ?? 'IN_PROGRESS'] += 1;
      if (
        i.outcome === 'ADOPTED' &&
        i.customerRecognised &&
        (i.recognisedOn === null || i.recognisedOn <= asOf)
      ) {
        customerGains += i.customerGain ?? 0n;
        // Copied by a competitor: EXPECTED value, no premium for us (domain §8); the customer
        // still gains from it.
        if (!i.copied) supplierGains += i.supplierGain ?? 0n;
      }
    }
  }
  const withValue = keyAccountIds.filter(id =>
    (initiatives.get(id) ?? []).some(i => isProvenRecognised(i, asOf)),
  ).length;
  return {
    initiatives: count,
    byCategory,
    byPhase,
    byOutcome,
    customerGains: fromCents(customerGains),
    supplierGains: fromCents(supplierGains),
    keyAccountsWithProvenRecognisedValue: withValue,
    shareOfKeyAccountsWithProvenRecognisedValue: exactRatio(withValue, keyAccountIds.length),
  };
}

/** The value summary of a quarter. */
export async function computeValue(em: EntityManager, quarter: string): Promise<ValueSummary> {
  const p = periodOf(quarter);
  const base = await loadAccountBase(em, p);
  const keys = base.filter(r => r.designationId !== null).map(r => r.id);
  return summariseValue(await initiativeFacts(em, p.asOf), keys, p.asOf);
}
