import { defineEntity, p } from '@mikro-orm/core';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import type { KamSettings } from './settings.schemas.ts';

export const SettingsSchema = defineEntity({
  name: 'Settings',
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    /** The settings document, validated by `settingsSchema` on every write. */
    document: p.json<KamSettings>(),
  },
});

/** The single row that holds every configurable default (bands, weights, thresholds, review period, cadence). */
export class Settings extends SettingsSchema.class {}
SettingsSchema.setClass(Settings);
