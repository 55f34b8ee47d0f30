import { defineEntity, p } from '@mikro-orm/core';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import type { KamSettings } from './settings.schemas.ts';

export const SettingsSchema = defineEntity({
  name: 'Settings',
  // `singleton` is true on every row and unique, so the table holds one row at most: a second
  // insert (two first changes at the same time) fails on the key or, written as
  // `on conflict do nothing`, waits for the first and then finds its row (`ensureSettingsRow`).
  checks: [{ name: 'settings_singleton_check', expression: 'singleton = true' }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    /** Always true: the unique key that makes this the only row. */
    singleton: p.boolean().default(true).unique(),
    /** The settings document, validated by `settingsSchema` on every write. */
    document: p.json<KamSettings>(),
  },
});

/** The single row that holds every configurable default (bands, weights, thresholds, review period, cadence). */
export class Settings extends SettingsSchema.class {}
SettingsSchema.setClass(Settings);
