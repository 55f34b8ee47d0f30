import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { assertVersion, writeAs } from '../common/unit-of-work.ts';
import { describeIssues, parseInput, toFieldIssues, versionSchema } from '../common/validation.ts';
import { Settings } from './settings.entity.ts';
import { DEFAULT_SETTINGS, type KamSettings, settingsSchema } from './settings.schemas.ts';

/** The current settings (the defaults when the row does not exist yet). */
export async function getSettings(em: EntityManager): Promise<KamSettings> {
  const row = await em.findOne(Settings, { id: { $gt: 0 } }, { orderBy: { id: 'asc' } });
  return row ? settingsSchema.parse(row.document) : DEFAULT_SETTINGS;
}

export async function getSettingsRow(em: EntityManager): Promise<Settings | null> {
  return em.findOne(Settings, { id: { $gt: 0 } }, { orderBy: { id: 'asc' } });
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

/** Changes settings. The whole resulting document is validated; an invalid value changes nothing. */
export async function updateSettings(
  em: EntityManager,
  input: UpdateSettingsInput,
  actor: Actor,
): Promise<Settings> {
  // Without a version the lock below would be skipped: the version is required, as everywhere.
  parseInput(updateSettingsSchema, input, 'settings');
  return writeAs(em, actor, async tx => {
    let row = await getSettingsRow(tx);
    if (!row) {
      // Without its row the settings read as the defaults at version 1, a fresh row's version:
      // the row is written first, so the version is checked against it as against any row, and
      // the change makes version 2 (a second client that read version 1 then conflicts too).
      row = tx.create(Settings, { document: DEFAULT_SETTINGS });
      await tx.flush();
    }
    assertVersion('Settings', row, input.expectedVersion, 'The settings');
    const merged = merge(
      row.document as unknown as Record<string, unknown>,
      input.patch as Record<string, unknown>,
    );
    const result = settingsSchema.safeParse(merged);
    if (!result.success) {
      const issues = toFieldIssues(result.error.issues, ['patch']);
      throw new DomainError('SETTINGS_INVALID', `Invalid settings: ${describeIssues(issues)}.`, { issues });
    }
    row.document = result.data;
    return row;
  });
}
