import { Migration } from '@mikro-orm/migrations';

/**
 * Markets compare case- and space-insensitively (src/signals/market.ts): the scope key of a
 * market-share measurement becomes `market:<key>`, the key being the market's name in Unicode
 * NFKC, every run of white space one space, trimmed, lower case; before, it was the name as
 * written, so "DACH", "Dach" and "dach" were three markets and the KPI's mean counted each.
 *
 * Every stored market measurement gets its new scope key, and the name of its market's first
 * measurement (lowest id, white space collapsed), which is what new measurements take.
 * Measurements that now fall on one key in the same kind and quarter are one measurement: the
 * latest recorded stays (the one written last, by `updated_at`, then the higher id), with a
 * version above all of theirs, so that a client holding any of them reloads before correcting;
 * the others are deleted, and their values remain in the audit trail (`OrganisationMeasurement`
 * entries, created and updated). A key longer than the column (only compatibility characters
 * that NFKC expands could make one) leaves its measurement as it was.
 *
 * The work is done in JS: SQLite has neither NFKC nor a Unicode lower case. The normalisation is
 * a copy of market.ts's as it is today, so that this migration does the same when that changes.
 * `down` gives each measurement the old key of the name it now has; deleted ones stay deleted.
 */
const SCOPE_KEY_LENGTH = 160;

function marketName(name: string): string {
  return name.replace(/\s+/gu, ' ').trim();
}

function marketKey(name: string): string {
  return marketName(name.normalize('NFKC')).toLowerCase().normalize('NFKC');
}

interface Row {
  id: number;
  kind: string;
  quarter: string;
  market: string;
  scope_key: string;
  version: number;
}

export class Migration20261207110000_market_scope_keys extends Migration {
  override name = 'Migration20261207110000_market_scope_keys';

  override async up(): Promise<void> {
    // Latest recorded first: the first row of each kind, quarter and key is the one that stays.
    const rows = (
      (await this.execute(
        `select id, kind, quarter, market, scope_key, version from organisation_measurement
          where scope_key like 'market:%' and market is not null order by updated_at desc, id desc`,
      )) as unknown as Row[]
    ).map(r => ({ ...r, id: Number(r.id), version: Number(r.version) }));
    const firstName = new Map<string, { id: number; name: string }>();
    const groups = new Map<string, Row[]>();
    for (const row of rows) {
      const scopeKey = `market:${marketKey(row.market)}`;
      if (scopeKey.length > SCOPE_KEY_LENGTH) continue;
      const first = firstName.get(scopeKey);
      if (!first || row.id < first.id) firstName.set(scopeKey, { id: row.id, name: marketName(row.market) });
      const group = `${row.kind}\n${row.quarter}\n${scopeKey}`;
      const members = groups.get(group);
      if (members) members.push(row);
      else groups.set(group, [row]);
    }
    for (const [group, [kept, ...merged]] of groups) {
      if (!kept) continue;
      const scopeKey = group.split('\n')[2] as string;
      for (const row of merged)
        await this.execute('delete from organisation_measurement where id = ?', [row.id]);
      const market = firstName.get(scopeKey)?.name ?? kept.market;
      const version = merged.length
        ? Math.max(kept.version, ...merged.map(r => r.version)) + 1
        : kept.version;
      if (scopeKey === kept.scope_key && market === kept.market && version === kept.version) continue;
      await this.execute(
        'update organisation_measurement set scope_key = ?, market = ?, version = ? where id = ?',
        [scopeKey, market, version, kept.id],
      );
    }
  }

  override down(): void {
    this.addSql(
      "update organisation_measurement set scope_key = 'market:' || market where scope_key like 'market:%' and market is not null;",
    );
  }
}
