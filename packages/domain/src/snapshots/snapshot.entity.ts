import { defineEntity, p } from '@mikro-orm/core';
import { quarterProperty } from '../common/base.properties.ts';

export const QuarterSnapshotSchema = defineEntity({
  name: 'QuarterSnapshot',
  uniques: [{ properties: ['quarter', 'revision'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    quarter: quarterProperty(),
    /** 1 for the first close of a quarter, n+1 for each close after it. */
    revision: p.integer(),
    closedAt: p.datetime(),
    closedBy: p.string().length(200),
    accountCount: p.integer(),
    /** SHA-256 of the portfolio payload followed by every account payload, in account order. */
    checksum: p.string().length(64),
    /** The portfolio figures as canonical JSON (stored as text so the bytes never change). */
    payload: p.text(),
  },
});

/** The immutable, self-contained record of a closed quarter (domain §12). */
export class QuarterSnapshot extends QuarterSnapshotSchema.class {}
QuarterSnapshotSchema.setClass(QuarterSnapshot);

export const AccountSnapshotSchema = defineEntity({
  name: 'AccountSnapshot',
  uniques: [{ properties: ['snapshot', 'accountId'] }],
  indexes: [{ properties: ['snapshot', 'position'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    snapshot: () => p.manyToOne(QuarterSnapshot).deleteRule('restrict'),
    /** The account's id (a plain id: the snapshot must outlive the account). */
    accountId: p.integer(),
    externalRef: p.string().length(120),
    /** Stable order within the snapshot (by external ref), for paging. */
    position: p.integer(),
    isKeyAccount: p.boolean(),
    /** The account's figures as canonical JSON. */
    payload: p.text(),
    /**
     * The payload's `health` member on its own (canonical JSON; null when the account has
     * none), so the API can read health without parsing the whole payload. Not part of the
     * checksum: it repeats what the payload holds.
     */
    health: p.text().nullable(),
  },
});

/** One account's frozen figures within a quarter snapshot. */
export class AccountSnapshot extends AccountSnapshotSchema.class {}
AccountSnapshotSchema.setClass(AccountSnapshot);
