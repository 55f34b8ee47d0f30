/** The customer-intimacy programme of a pilot business unit (domain §11). */
import {
  advanceProgrammeStage,
  IntimacyProgramme,
  ProgrammeChecklistItem,
  setChecklistItem,
  startProgramme,
  updateProgramme,
} from '@kam/domain';
import { builder } from '../../builder.ts';
import { decodeId } from '../ids.ts';
import { groupedBy } from '../loaders.ts';
import { entityNode } from '../node.ts';
import { BusinessUnitRef, PersonRef } from './organisation.ts';
import { ProgrammeStageEnum } from './vocabulary.ts';
import { described, maybeId, optionalId } from './workflow.ts';

export const ChecklistItemRef = entityNode(ProgrammeChecklistItem, 'ProgrammeChecklistItem');
ChecklistItemRef.implement({
  description: 'One checklist item of a programme stage.',
  isTypeOf: v => v instanceof ProgrammeChecklistItem,
  fields: t => ({
    stage: t.field({
      type: ProgrammeStageEnum,
      description: 'The stage it belongs to.',
      resolve: i => i.stage,
    }),
    position: t.exposeInt('position', { description: 'Order within the stage.' }),
    text: t.exposeString('text', { description: 'What is to be done.' }),
    done: t.boolean({ description: 'Whether it is done.', resolve: i => i.doneOn != null }),
    doneOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When it was done.',
      resolve: i => i.doneOn ?? null,
    }),
    doneBy: t.field({
      type: PersonRef,
      nullable: true,
      description: 'Who did it.',
      resolve: i => i.doneBy?.id ?? null,
    }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
  }),
});

export const ProgrammeRef = entityNode(IntimacyProgramme, 'IntimacyProgramme');
ProgrammeRef.implement({
  description:
    'The customer-intimacy programme of a pilot business unit: UNDERSTAND → TEST → LEARN → IMPLEMENT.',
  isTypeOf: v => v instanceof IntimacyProgramme,
  fields: t => ({
    businessUnit: t.field({
      type: BusinessUnitRef,
      description: 'The pilot business unit.',
      resolve: p => p.businessUnit.id,
    }),
    stage: t.field({ type: ProgrammeStageEnum, description: 'The current stage.', resolve: p => p.stage }),
    changeLeader: t.field({
      type: PersonRef,
      nullable: true,
      description: 'The change leader.',
      resolve: p => p.changeLeader?.id ?? null,
    }),
    startedOn: t.field({ type: 'Date', description: 'When it started.', resolve: p => p.startedOn }),
    objectives: t.exposeString('objectives', { description: 'The programme’s objectives.' }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
    checklist: t.loadableList({
      type: ChecklistItemRef,
      description: 'Every checklist item, stage by stage.',
      load: async (ids: number[], ctx) => {
        const rows = await ctx.em.find(
          ProgrammeChecklistItem,
          { programme: { $in: ids } },
          { orderBy: { id: 'asc' } },
        );
        return groupedBy(ids, rows, r => r.programme.id);
      },
      resolve: p => p.id,
    }),
  }),
});

builder.queryField('programmes', t =>
  t.field({
    type: [ProgrammeRef],
    description: 'Every customer-intimacy programme.',
    resolve: (_, __, ctx) => ctx.em.find(IntimacyProgramme, {}, { orderBy: { id: 'asc' } }),
  }),
);

const StartProgrammeInput = builder.inputType('StartProgrammeInput', {
  description:
    'Starts the programme of a pilot business unit, with the checklists of the settings (programme.checklists).',
  fields: t => ({
    businessUnitId: t.globalID({
      required: true,
      description: 'The pilot business unit (one programme per unit).',
    }),
    changeLeaderId: t.globalID({
      description: 'The change leader, an active person (or name one later with updateProgramme).',
    }),
    startedOn: t.field({ type: 'Date', description: 'When (today when omitted).' }),
    objectives: t.string({ description: 'The objectives (trimmed; blank or omitted is stored as "").' }),
  }),
});

const UpdateProgrammeInput = builder.inputType('UpdateProgrammeInput', {
  description: 'Changes a programme’s change leader or objectives; omitted fields keep their value.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The programme.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    changeLeaderId: t.globalID({
      description: 'The change leader, an active person (PERSON_INACTIVE otherwise); null takes them off.',
    }),
    objectives: t.string({ description: 'The objectives (trimmed; blank or null is stored as "").' }),
  }),
});

const SetChecklistItemInput = builder.inputType('SetChecklistItemInput', {
  description: 'Ticks or unticks a checklist item.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The item.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    done: t.boolean({ required: true, description: 'Done or not.' }),
    on: t.field({
      type: 'Date',
      description:
        'When it was done (today when omitted): not after today (DATE_IN_FUTURE), nor before the programme started (PROGRAMME_CHECKLIST_DATED_BEFORE_START).',
    }),
  }),
});

const AdvanceProgrammeInput = builder.inputType('AdvanceProgrammeStageInput', {
  description: 'Moves a programme to its next stage.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The programme.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    toStage: t.field({ type: ProgrammeStageEnum, description: 'The stage you expect to move to.' }),
  }),
});

builder.mutationFields(t => ({
  startProgramme: t.field({
    type: ProgrammeRef,
    description: 'Starts the customer-intimacy programme of a pilot business unit (ADMIN).',
    authScopes: { admin: true },
    errors: described('starting a programme'),
    args: { input: t.arg({ type: StartProgrammeInput, required: true, description: 'The programme.' }) },
    resolve: (_, { input }, ctx) =>
      startProgramme(
        ctx.em,
        {
          businessUnitId: decodeId(input.businessUnitId, 'BusinessUnit', 'businessUnitId'),
          changeLeaderId: maybeId(input.changeLeaderId, 'Person', 'changeLeaderId'),
          startedOn: input.startedOn ?? undefined,
          objectives: input.objectives ?? undefined,
        },
        ctx.actor,
      ),
  }),
  updateProgramme: t.field({
    type: ProgrammeRef,
    description:
      'Names, changes or takes off a programme’s change leader (typically appointed in the TEST stage) and edits its objectives (ADMIN).',
    authScopes: { admin: true },
    errors: described('updating a programme'),
    args: { input: t.arg({ type: UpdateProgrammeInput, required: true, description: 'The change.' }) },
    resolve: (_, { input }, ctx) =>
      updateProgramme(
        ctx.em,
        {
          id: decodeId(input.id, 'IntimacyProgramme'),
          expectedVersion: input.expectedVersion,
          changeLeaderId: optionalId(input.changeLeaderId, 'Person', 'changeLeaderId'),
          objectives: input.objectives === null ? '' : input.objectives,
        },
        ctx.actor,
      ),
  }),
  setChecklistItem: t.field({
    type: ChecklistItemRef,
    description:
      'Ticks (or unticks) a checklist item of a programme’s current stage or a later one, on or after the day the programme started; the checklist of a stage the programme has left no longer changes (ADMIN).',
    authScopes: { admin: true },
    errors: described('setting a checklist item'),
    args: { input: t.arg({ type: SetChecklistItemInput, required: true, description: 'The item.' }) },
    resolve: (_, { input }, ctx) =>
      setChecklistItem(
        ctx.em,
        {
          id: decodeId(input.id, 'ProgrammeChecklistItem'),
          expectedVersion: input.expectedVersion,
          done: input.done,
          doneById: ctx.viewer.personId,
          on: input.on ?? undefined,
        },
        ctx.actor,
      ),
  }),
  advanceProgrammeStage: t.field({
    type: ProgrammeRef,
    description:
      'Moves a programme to its next stage once every checklist item of the current stage is done (ADMIN).',
    authScopes: { admin: true },
    errors: described('advancing a programme'),
    args: { input: t.arg({ type: AdvanceProgrammeInput, required: true, description: 'The programme.' }) },
    resolve: (_, { input }, ctx) =>
      advanceProgrammeStage(
        ctx.em,
        {
          id: decodeId(input.id, 'IntimacyProgramme'),
          expectedVersion: input.expectedVersion,
          toStage: input.toStage ?? undefined,
        },
        ctx.actor,
      ),
  }),
}));
