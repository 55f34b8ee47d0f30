/**
 * Properties of the analytics that must hold for any portfolio: generated with fast-check,
 * checked on SQLite and PostgreSQL alike (each database-backed run gets a fresh database).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { upsertAccounts } from '../bulk/accounts.bulk.ts';
import { importFinancials } from '../bulk/financials.bulk.ts';
import { canonicalJson } from '../snapshots/canonical-json.ts';
import { createTestDatabase, testActor } from '../testing/index.ts';
import { loadAccountBase } from './account-base.ts';
import { paretoOf } from './pareto.ts';
import { computePyramid } from './pyramid.ts';
import { computeGroupRollups } from './rollup.ts';
import { computeSelection } from './selection.ts';
import { buildQuarterDocuments } from './snapshot-documents.ts';

const QUARTERS = ['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1'] as const;

/** A random portfolio: accounts with a parent among the earlier ones (or none) and quarterly figures. */
const portfolioArb = fc
  .array(
    fc.record({
      parent: fc.option(fc.nat(), { nil: null }),
      revenue: fc.array(fc.integer({ min: -5_000, max: 2_000_000 }), { minLength: 4, maxLength: 4 }),
      marginPercent: fc.integer({ min: -20, max: 80 }),
      potential: fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: null }),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map(accounts =>
    accounts.map((a, i) => ({
      ...a,
      ref: `P${String(i).padStart(3, '0')}`,
      // Parent among the earlier accounts, at most ~5 levels deep in practice.
      parentIndex: a.parent === null || i === 0 ? null : a.parent % i,
    })),
  );

type PortfolioSample = typeof portfolioArb extends fc.Arbitrary<infer T> ? T : never;

async function load(accounts: PortfolioSample) {
  const db = await createTestDatabase();
  const em = db.em();
  const atomic = { mode: 'ATOMIC' as const };
  await upsertAccounts(
    em,
    accounts.map(a => ({ externalRef: a.ref, name: a.ref })),
    atomic,
    testActor,
  );
  const children = accounts.filter(a => a.parentIndex !== null);
  if (children.length) {
    await upsertAccounts(
      em,
      children.map(a => ({ externalRef: a.ref, name: a.ref, parentRef: accounts[a.parentIndex!]!.ref })),
      atomic,
      testActor,
    );
  }
  const rows = accounts.flatMap(a =>
    QUARTERS.map((quarter, qi) => ({
      accountRef: a.ref,
      quarter,
      revenue: (a.revenue[qi]! / 100).toFixed(2),
      grossProfit: ((a.revenue[qi]! * a.marginPercent) / 10_000).toFixed(2).replace('-0.00', '0.00'),
      costToServe: (Math.abs(a.revenue[qi]!) / 1000).toFixed(2),
      potential: a.potential === null ? null : (a.potential / 100).toFixed(2),
    })),
  );
  await importFinancials(em, rows, atomic, testActor);
  return db;
}

describe('Pareto (pure)', () => {
  it('cumulative shares rise to exactly 1 and the 80 % set is the smallest', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -1000n, max: 10n ** 12n }), { maxLength: 400 }), values => {
        const p = paretoOf(
          values.map((value, i) => ({ externalRef: `R${i}`, value })),
          'REVENUE',
        );
        const positive = values.filter(v => v > 0n).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
        expect(p.rankedAccounts).toBe(positive.length);
        expect(p.curve.length).toBeLessThanOrEqual(101);
        if (positive.length === 0) {
          expect(p.curve).toEqual([]);
          return;
        }
        for (let i = 1; i < p.curve.length; i++) {
          expect(p.curve[i]!.cumulativeShare).toBeGreaterThanOrEqual(p.curve[i - 1]!.cumulativeShare);
          expect(p.curve[i]!.accountShare).toBeGreaterThan(p.curve[i - 1]!.accountShare);
        }
        expect(p.curve[p.curve.length - 1]).toEqual({ accountShare: 1, cumulativeShare: 1 });
        const total = positive.reduce((a, b) => a + b, 0n);
        const cum = (k: number) => positive.slice(0, k).reduce((a, b) => a + b, 0n);
        expect(10n * cum(p.accountsFor80Percent) >= 8n * total).toBe(true);
        expect(10n * cum(p.accountsFor80Percent - 1) < 8n * total).toBe(true);
        expect(p.top20PercentShare!).toBeGreaterThan(0);
        expect(p.top20PercentShare!).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('canonical JSON', () => {
  it('does not depend on key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), obj => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });
});

describe('over a database', () => {
  it('percentiles and scores stay in [0, 100]; level revenues and shares add up; roll-ups equal the sum of their parts; unchanged data gives identical documents', async () => {
    await fc.assert(
      fc.asyncProperty(portfolioArb, async accounts => {
        const db = await load(accounts);
        try {
          const em = db.em();
          const base = await loadAccountBase(em, '2026-Q1');
          for (const row of base) {
            for (const p of [row.revenuePercentile, row.marginPercentile, row.headroomPercentile]) {
              if (p === null) expect(row.ttmRevenue > 0n).toBe(false);
              else {
                expect(p).toBeGreaterThanOrEqual(0);
                expect(p).toBeLessThanOrEqual(100);
              }
            }
          }
          const selection = await computeSelection(em, '2026-Q1');
          for (const s of selection.byAccount.values()) {
            if (s.financialScore !== null) {
              expect(s.financialScore).toBeGreaterThanOrEqual(0);
              expect(s.financialScore).toBeLessThanOrEqual(100);
            }
          }

          // Pyramid: every account in one level; level revenues add up exactly to the total,
          // and the rounded shares to 1 within the rounding of seven shares.
          const pyramid = await computePyramid(em, '2026-Q1');
          expect(pyramid.levels.reduce((n, l) => n + l.accounts, 0)).toBe(accounts.length);
          const cents = (m: string) => BigInt(m.replace('.', ''));
          const levelTotal = pyramid.levels.reduce((sum, l) => sum + cents(l.ttmRevenue), 0n);
          const total = base.reduce((sum, r) => sum + r.ttmRevenue, 0n);
          expect(levelTotal).toBe(total);
          if (total !== 0n) {
            const shares = pyramid.levels.reduce((sum, l) => sum + (l.revenueShare ?? 0), 0);
            expect(Math.abs(shares - 1)).toBeLessThanOrEqual(7 * 0.00005 + 1e-9);
          }

          // Roll-ups: a parent equals itself plus its descendants, summed in JS from the account base.
          const rollups = await computeGroupRollups(em, '2026-Q1');
          const byRef = new Map(base.map(r => [r.externalRef, r]));
          const subtree = (i: number): number[] => [
            i,
            ...accounts.flatMap((a, j) => (a.parentIndex === i ? subtree(j) : [])),
          ];
          accounts.forEach((a, i) => {
            const members = subtree(i);
            const row = byRef.get(a.ref)!;
            const rollup = rollups.get(row.id);
            if (members.length === 1) {
              expect(rollup).toBeUndefined();
              return;
            }
            const sum = members.reduce((s, m) => s + byRef.get(accounts[m]!.ref)!.ttmRevenue, 0n);
            const gp = members.reduce((s, m) => s + byRef.get(accounts[m]!.ref)!.ttmGrossProfit, 0n);
            expect(rollup!.descendants).toBe(members.length - 1);
            expect(cents(rollup!.ttmRevenue)).toBe(sum);
            expect(cents(rollup!.ttmGrossProfit)).toBe(gp);
          });

          // Unchanged data → identical canonical documents.
          const one = await buildQuarterDocuments(em, '2026-Q1');
          const two = await buildQuarterDocuments(db.em(), '2026-Q1');
          expect(canonicalJson(two.portfolio)).toBe(canonicalJson(one.portfolio));
          expect(two.accounts.map(a => canonicalJson(a))).toEqual(one.accounts.map(a => canonicalJson(a)));
        } finally {
          await db.close();
        }
      }),
      { numRuns: 12 },
    );
  });
});
