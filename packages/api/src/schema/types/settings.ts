/** Every configurable default (domain: "the default must be configurable by an administrator"). */
import { getSettings, getSettingsRow, type KamSettings, updateSettings } from '@kam/domain';
import { builder } from '../../builder.ts';
import { ValidationError } from '../../errors.ts';
import { described } from './workflow.ts';

interface SettingsView {
  version: number;
  document: KamSettings;
}

export const SettingsRef = builder.objectRef<SettingsView>('Settings').implement({
  description:
    'The configurable defaults: currency, pyramid bands, selection weights and thresholds, designation review period, review cadence, health weights and bands, the programme checklists, the lifetime cap.',
  fields: t => ({
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
    document: t.field({
      type: 'JSON',
      description: 'The whole settings document (its fields are documented in docs/api.md).',
      resolve: s => s.document,
    }),
    currency: t.string({
      description:
        'The one reporting currency (ISO 4217) of every stored amount; it cannot change once an amount is stored (SETTINGS_CURRENCY_IN_USE).',
      resolve: s => s.document.currency,
    }),
    designationReviewMonths: t.int({
      description: 'Months until a designation’s review (at least 24).',
      resolve: s => s.document.designation.reviewMonths,
    }),
    planReviewCadenceMonths: t.int({
      description: 'The cadence of execution reviews, in months.',
      resolve: s => s.document.plans.reviewCadenceMonths,
    }),
  }),
});

builder.queryField('settings', t =>
  t.field({
    type: SettingsRef,
    description: 'The current settings.',
    resolve: async (_, __, ctx) => {
      const row = await getSettingsRow(ctx.em);
      return { version: row?.version ?? 1, document: await getSettings(ctx.em) };
    },
  }),
);

const UpdateSettingsInput = builder.inputType('UpdateSettingsInput', {
  description:
    'A partial settings document; what it leaves out keeps its value. The whole result is validated.',
  fields: t => ({
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    patch: t.field({
      type: 'JSON',
      required: true,
      description: 'The fields to change, e.g. {"plans":{"reviewCadenceMonths":6}}.',
    }),
  }),
});

builder.mutationField('updateSettings', t =>
  t.field({
    type: SettingsRef,
    description: 'Changes settings (ADMIN). An invalid value changes nothing.',
    authScopes: { admin: true },
    errors: described('updating settings'),
    args: { input: t.arg({ type: UpdateSettingsInput, required: true, description: 'The change.' }) },
    resolve: async (_, { input }, ctx) => {
      const patch = input.patch;
      if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
        throw ValidationError.at(['patch'], 'patch must be a JSON object.', 'must be an object');
      }
      const row = await updateSettings(
        ctx.em,
        { expectedVersion: input.expectedVersion, patch: patch as Record<string, never> },
        ctx.actor,
      );
      return { version: row.version, document: row.document };
    },
  }),
);
