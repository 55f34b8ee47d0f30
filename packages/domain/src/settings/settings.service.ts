import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { insertAuditEntries } from '../audit/audit.writer.ts';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { MoneyType } from '../common/money.ts';
import { assertVersion, writeAs } from '../common/unit-of-work.ts';
import { describeIssues, parseInput, toFieldIssues, versionSchema } from '../common/validation.ts';
import { listed } from '../common/words.ts';
import { dialectOfEm, toDbValue } from '../db/sql-writer.ts';
import { KpiDefinition } from '../kpis/kpi-definition.entity.ts';
import { Settings } from './settings.entity.ts';
import { DEFAULT_SETTINGS, type KamSettings, settingKeysAt, settingsSchema } from './settings.schemas.ts';

/** The current settings (the defaults when the row does not exist yet). */
export async function getSettings(em: EntityManager): Promise<KamSettings> {
  const row = await getSettingsRow(em);
  return row ? settingsSchema.parse(row.document) : DEFAULT_SETTINGS;
}

/** The settings row (there is one at most), or null before `kam migrate` created it. */
export async function getSettingsRow(em: EntityManager): Promise<Settings | null> {
  return em.findOne(Settings, { singleton: true });
}

/**
 * The settings row, created from the defaults (version 1) when there is none; `created` says
 * whether this call created it. Run it inside the caller's transaction (`writeAs`).
 *
 * The insert is `on conflict (singleton) do nothing`: while another transaction is inserting
 * the row, PostgreSQL makes this one wait until that one ends, and then reads its row (read
 * committed: each statement sees what was committed before it). So two first changes at the
 * same time serialise on the row's unique key instead of each creating a row, and the second
 * is checked against the first's version like any change. The insert goes around the unit of
 * work (which cannot say "do nothing"), so its audit record is written here.
 */
export async function ensureSettingsRow(
  tx: EntityManager,
  actor: Actor,
): Promise<{ row: Settings; created: boolean }> {
  const existing = await getSettingsRow(tx);
  if (existing) return { row: existing, created: false };
  const dialect = dialectOfEm(tx);
  const now = toDbValue(dialect, new Date());
  const inserted = await tx
    .getConnection()
    .execute<{ id: number }[]>(
      'insert into settings (created_at, updated_at, version, singleton, document) values (?, ?, 1, true, ?) on conflict (singleton) do nothing returning id',
      [now, now, toDbValue(dialect, DEFAULT_SETTINGS)],
      'all',
      tx.getTransactionContext(),
    );
  const row = await getSettingsRow(tx);
  if (!row) throw new Error('The settings row was neither inserted nor found.');
  const created = inserted.length > 0;
  if (created) {
    await insertAuditEntries(tx, actor, [
      {
        entityType: 'Settings',
        entityId: String(row.id),
        action: 'CREATE',
        changes: {
          document: { before: null, after: DEFAULT_SETTINGS },
          singleton: { before: null, after: true },
        },
      },
    ]);
  }
  return { row, created };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export const updateSettingsSchema = z.object({
  expectedVersion: versionSchema,
  /** A partial settings document; what it leaves out keeps its current value. */
  patch: z.record(z.string(), z.unknown()),
});
export type UpdateSettingsInput = { expectedVersion: number; patch: DeepPartial<KamSettings> };

function merge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/** The value at `path` of a (patch) document, or undefined. */
function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let value = document;
  for (const key of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * A settings issue in words that say what to send: an unknown setting with the settings allowed
 * at its place, and a weights sum with the weights the patch left out, which kept their stored
 * values (the sum is checked after the patch is merged into the stored settings).
 */
function explained(issue: z.core.$ZodIssue, patch: Record<string, unknown>): z.core.$ZodIssue {
  const path = issue.path.map(p => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.map(key => [...path, key].join('.'));
    const where = path.length ? `the settings under ${path.join('.')} are` : 'the top-level settings are';
    const message = `unknown setting${names.length === 1 ? '' : 's'} ${listed(names)}; ${where}: ${settingKeysAt(path).join(', ')}`;
    return { ...issue, message };
  }
  if (issue.code === 'invalid_type' && path.length > 0 && valueAt(patch, issue.path) === null) {
    // A patch changes what it names: null would not keep or clear a setting, so say which to do.
    const keys = settingKeysAt(path);
    const send = keys.length ? `send the settings to change under it (${keys.join(', ')})` : 'send a value';
    return { ...issue, message: `cannot be null: leave ${path.join('.')} out to keep it, or ${send}` };
  }
  const params = 'params' in issue ? (issue.params as { code?: string } | undefined) : undefined;
  if (params?.code === 'SETTINGS_WEIGHTS_NOT_100') {
    const sent = valueAt(patch, issue.path);
    const kept = settingKeysAt(path).filter(
      key => !(sent && typeof sent === 'object' && Object.hasOwn(sent, key)),
    );
    if (kept.length === 0) return issue;
    const note =
      kept.length === 1
        ? `${kept[0]} was not in the patch and kept its stored value`
        : `${listed(kept)} were not in the patch and kept their stored values`;
    return { ...issue, message: `${issue.message} (${note}: a patch changes only the settings it names)` };
  }
  return issue;
}

/**
 * Where an amount of money is stored, as "Entity.property", or null when none is: a value in a
 * column of the Money type (`moneyProperty()`) of any entity, found from the ORM's metadata so
 * that a money column added later counts too, and a target of a KPI counted in money (a decimal
 * column, in the reporting currency all the same). One `limit 1` query per table with money,
 * stopping at the first amount found.
 */
export async function firstStoredAmount(em: EntityManager): Promise<string | null> {
  for (const meta of em.getMetadata().getAll().values()) {
    if (meta.embeddable || meta.abstract || meta.virtual) continue;
    const columns = Object.values(meta.properties)
      .filter(prop => prop.customType instanceof MoneyType && prop.persist !== false)
      .map(prop => ({ property: prop.name, column: prop.fieldNames[0]! }));
    if (columns.length === 0) continue;
    const [row] = await em
      .getConnection()
      .execute<Record<string, unknown>[]>(
        `select ${columns.map(c => `"${c.column}"`).join(', ')} from "${meta.tableName}" where ${columns.map(c => `"${c.column}" is not null`).join(' or ')} limit 1`,
        [],
        'all',
        em.getTransactionContext(),
      );
    const found = row && columns.find(c => row[c.column] != null);
    if (found) return `${meta.className}.${found.property}`;
  }
  const kpi = await em.findOne(
    KpiDefinition,
    { unit: 'MONEY', target: { $ne: null } },
    { fields: ['code'], orderBy: { code: 'asc' } },
  );
  return kpi ? `KpiDefinition.target (${kpi.code})` : null;
}

/**
 * Refuses a change of the reporting currency from `current` to `requested` while an amount is
 * stored (SETTINGS_CURRENCY_IN_USE): amounts are not converted, so every stored one would be
 * relabelled, and closed quarters would publish them in the new currency (domain.md §9: one
 * reporting currency).
 */
async function assertCurrencyFree(tx: EntityManager, current: string, requested: string): Promise<void> {
  if (requested === current) return;
  const storedIn = await firstStoredAmount(tx);
  if (storedIn === null) return;
  throw new DomainError(
    'SETTINGS_CURRENCY_IN_USE',
    `The reporting currency cannot change from ${current} to ${requested}: amounts are already stored (${storedIn} holds one), and kam does not convert them, so every amount would be relabelled ${requested} as it stands. Set the currency before loading data; to change it now, start from an empty database, or convert the amounts outside kam and import them again into a database set to ${requested}.`,
    {
      issues: [
        {
          path: ['patch', 'currency'],
          message: `cannot change from ${current} while amounts are stored: they would not be converted to ${requested}`,
          code: 'SETTINGS_CURRENCY_IN_USE',
        },
      ],
      details: { currency: current, requested, storedIn },
    },
  );
}

/**
 * Changes settings. The whole resulting document is validated; an invalid value changes nothing.
 * The reporting currency changes only while no amount is stored (`assertCurrencyFree`).
 */
export async function updateSettings(
  em: EntityManager,
  input: UpdateSettingsInput,
  actor: Actor,
): Promise<Settings> {
  // Without a version the lock below would be skipped: the version is required, as everywhere.
  parseInput(updateSettingsSchema, input, 'settings');
  return writeAs(em, actor, async tx => {
    // Without its row the settings read as the defaults at version 1, a fresh row's version:
    // the row is written first, so the version is checked against it as against any row, and
    // the change makes version 2 (a second client that read version 1 then conflicts too, also
    // when both send their first change at the same time: see ensureSettingsRow).
    const { row } = await ensureSettingsRow(tx, actor);
    assertVersion('Settings', row, input.expectedVersion, 'The settings', { plural: true });
    const merged = merge(
      row.document as unknown as Record<string, unknown>,
      input.patch as Record<string, unknown>,
    );
    const result = settingsSchema.safeParse(merged);
    if (!result.success) {
      const issues = toFieldIssues(
        result.error.issues.map(issue => explained(issue, input.patch as Record<string, unknown>)),
        ['patch'],
      );
      throw new DomainError('SETTINGS_INVALID', `Invalid settings: ${describeIssues(issues)}.`, { issues });
    }
    await assertCurrencyFree(tx, row.document.currency ?? DEFAULT_SETTINGS.currency, result.data.currency);
    row.document = result.data;
    return row;
  });
}
