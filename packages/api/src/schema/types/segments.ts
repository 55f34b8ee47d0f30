/** Segments, service elements and packages, the segmentation grid and service standards (domain §2–3). */
import {
  createSegment,
  createServiceElement,
  createServicePackage,
  ElementImportance,
  GridCell,
  MAX_CODE_LENGTH,
  MAX_PACKAGE_ELEMENTS,
  MAX_SERVICE_STANDARD_LENGTH,
  PackageElement,
  removeServiceElement,
  removeServicePackage,
  Segment,
  ServiceElement,
  ServicePackage,
  ServiceStandard,
  setElementImportance,
  setGridCell,
  setPackageElement,
  updateSegment,
  updateServiceElement,
  updateServicePackage,
  updateServiceStandard,
} from '@kam/domain';
import { builder } from '../../builder.ts';
import { decodeId } from '../ids.ts';
import { groupedBy } from '../loaders.ts';
import { entityNode } from '../node.ts';
import { AccountRef } from './account.ts';
import {
  BuyerOrientationEnum,
  ElementInclusionEnum,
  GrowthProfileEnum,
  PyramidLevelEnum,
  SegmentScopeEnum,
  SizeClassEnum,
} from './vocabulary.ts';
import { described, notCleared, RemovalRef } from './workflow.ts';

export const ServiceElementRef = entityNode(ServiceElement, 'ServiceElement');
ServiceElementRef.implement({
  description: 'Something we can do for a customer: logistics, technical support, training …',
  isTypeOf: v => v instanceof ServiceElement,
  fields: t => ({
    code: t.exposeString('code', { description: 'Stable code, e.g. TECHNICAL_SUPPORT.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { nullable: true, description: 'What it is.' }),
    position: t.exposeInt('position', { description: 'Display order: 1 first, the elements numbered 1..n.' }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
  }),
});

export const ElementImportanceRef = builder.objectRef<ElementImportance>('ElementImportance').implement({
  description: 'How much a segment values one service element, 1–5.',
  fields: t => ({
    element: t.field({ type: ServiceElementRef, description: 'The element.', resolve: i => i.element.id }),
    importance: t.exposeInt('importance', { description: 'Importance, 1–5.' }),
  }),
});

export const PackageElementRef = builder.objectRef<PackageElement>('PackageElement').implement({
  description: 'One element’s place in a service package.',
  fields: t => ({
    element: t.field({ type: ServiceElementRef, description: 'The element.', resolve: e => e.element.id }),
    inclusion: t.field({
      type: ElementInclusionEnum,
      description: 'Included, charged separately or not offered.',
      resolve: e => e.inclusion,
    }),
  }),
});

export const SegmentRef = entityNode(Segment, 'Segment');

export const ServicePackageRef = entityNode(ServicePackage, 'ServicePackage');
ServicePackageRef.implement({
  description: 'The service package offered to a segment: which elements are included and which are charged.',
  isTypeOf: v => v instanceof ServicePackage,
  fields: t => ({
    code: t.exposeString('code', { description: 'Stable code.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { nullable: true, description: 'What the package is.' }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
    segment: t.field({ type: SegmentRef, description: 'The segment it serves.', resolve: p => p.segment.id }),
    elements: t.loadableList({
      type: PackageElementRef,
      description: 'The elements and their inclusion.',
      load: async (ids: number[], ctx) => {
        const rows = await ctx.em.find(
          PackageElement,
          { servicePackage: { $in: ids } },
          { orderBy: { id: 'asc' } },
        );
        return groupedBy(ids, rows, r => r.servicePackage.id);
      },
      resolve: p => p.id,
    }),
  }),
});

export const GridCellRef = builder.objectRef<GridCell>('SegmentationGridCell').implement({
  description:
    'One cell of the segmentation grid: a segment at a pyramid level and the package that applies.',
  fields: t => ({
    segment: t.field({ type: SegmentRef, description: 'The segment.', resolve: c => c.segment.id }),
    pyramidLevel: t.field({
      type: PyramidLevelEnum,
      description: 'The pyramid level.',
      resolve: c => c.pyramidLevel,
    }),
    servicePackage: t.field({
      type: ServicePackageRef,
      description: 'The package that applies.',
      resolve: c => c.servicePackage.id,
    }),
    version: t.exposeInt('version', { description: 'Optimistic-lock version.' }),
  }),
});

SegmentRef.implement({
  description: 'A group of customers with the same needs.',
  isTypeOf: v => v instanceof Segment,
  fields: t => ({
    code: t.exposeString('code', { description: 'Stable code.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    buyerOrientation: t.field({
      type: BuyerOrientationEnum,
      description: 'Price or loyalty buyers.',
      resolve: s => s.buyerOrientation,
    }),
    channel: t.exposeString('channel', { nullable: true, description: 'The sales channel.' }),
    sizeClass: t.field({
      type: SizeClassEnum,
      nullable: true,
      description: 'Customer size.',
      resolve: s => s.sizeClass ?? null,
    }),
    scope: t.field({
      type: SegmentScopeEnum,
      nullable: true,
      description: 'International or local.',
      resolve: s => s.scope ?? null,
    }),
    growthProfile: t.field({
      type: GrowthProfileEnum,
      nullable: true,
      description: 'Stable or fast-growing.',
      resolve: s => s.growthProfile ?? null,
    }),
    description: t.exposeString('description', {
      nullable: true,
      description: 'What characterises the segment.',
    }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
    elementImportance: t.loadableList({
      type: ElementImportanceRef,
      description: 'How much the segment values each service element.',
      load: async (ids: number[], ctx) => {
        const rows = await ctx.em.find(
          ElementImportance,
          { segment: { $in: ids } },
          { orderBy: { id: 'asc' } },
        );
        return groupedBy(ids, rows, r => r.segment.id);
      },
      resolve: s => s.id,
    }),
    grid: t.loadableList({
      type: GridCellRef,
      description: 'The segment’s row of the segmentation grid.',
      load: async (ids: number[], ctx) => {
        const rows = await ctx.em.find(GridCell, { segment: { $in: ids } }, { orderBy: { id: 'asc' } });
        return groupedBy(ids, rows, r => r.segment.id);
      },
      resolve: s => s.id,
    }),
  }),
});

export const ServiceStandardRef = builder.objectRef<ServiceStandard>('ServiceStandard').implement({
  description: 'The service standard every account at a pyramid level receives.',
  fields: t => ({
    pyramidLevel: t.field({
      type: PyramidLevelEnum,
      description: 'The level.',
      resolve: s => s.pyramidLevel,
    }),
    text: t.exposeString('text', { description: 'The standard.' }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
  }),
});

builder.objectField(AccountRef, 'segment', t =>
  t.field({
    type: SegmentRef,
    nullable: true,
    description: 'The account’s segment.',
    resolve: a => a.segment?.id ?? null,
  }),
);

builder.queryFields(t => ({
  segments: t.field({
    type: [SegmentRef],
    description: 'Every segment, by code.',
    resolve: (_, __, ctx) => ctx.em.find(Segment, {}, { orderBy: { code: 'asc' } }),
  }),
  serviceElements: t.field({
    type: [ServiceElementRef],
    description: 'Every service element, in display order.',
    resolve: (_, __, ctx) => ctx.em.find(ServiceElement, {}, { orderBy: { position: 'asc' } }),
  }),
  servicePackages: t.field({
    type: [ServicePackageRef],
    description: 'Every service package, by code.',
    resolve: (_, __, ctx) => ctx.em.find(ServicePackage, {}, { orderBy: { code: 'asc' } }),
  }),
  serviceStandards: t.field({
    type: [ServiceStandardRef],
    description: 'The service standard of each pyramid level.',
    resolve: (_, __, ctx) => ctx.em.find(ServiceStandard, {}, { orderBy: { id: 'asc' } }),
  }),
}));

/** The limits of the service model's texts, as the domain checks them. */
const CODE = `Upper-case letters, digits, _ or -, at most ${MAX_CODE_LENGTH} characters; unique; it cannot be changed later.`;
const NAME = 'Display name, at most 200 characters.';
const DESCRIPTION = 'at most 20,000 characters';
const CLEARS = 'blank or null clears it';

const SegmentFields = {
  name: NAME,
  channel: 'The sales channel.',
  description: 'What characterises the segment.',
};

const CreateSegmentInput = builder.inputType('CreateSegmentInput', {
  description: 'A new segment.',
  fields: t => ({
    code: t.string({ required: true, description: CODE }),
    name: t.string({ required: true, description: SegmentFields.name }),
    buyerOrientation: t.field({
      type: BuyerOrientationEnum,
      required: true,
      description: 'Price or loyalty buyers.',
    }),
    channel: t.string({ description: SegmentFields.channel }),
    sizeClass: t.field({ type: SizeClassEnum, description: 'Customer size.' }),
    scope: t.field({ type: SegmentScopeEnum, description: 'International or local.' }),
    growthProfile: t.field({ type: GrowthProfileEnum, description: 'Stable or fast-growing.' }),
    description: t.string({ description: SegmentFields.description }),
  }),
});

const UpdateSegmentInput = builder.inputType('UpdateSegmentInput', {
  description:
    'Changes to a segment; omitted fields keep their value, null clears an optional one (a blank channel or description too); name and buyerOrientation cannot be cleared.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The segment.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    name: t.string({ description: SegmentFields.name }),
    buyerOrientation: t.field({ type: BuyerOrientationEnum, description: 'Price or loyalty buyers.' }),
    channel: t.string({ description: SegmentFields.channel }),
    sizeClass: t.field({ type: SizeClassEnum, description: 'Customer size.' }),
    scope: t.field({ type: SegmentScopeEnum, description: 'International or local.' }),
    growthProfile: t.field({ type: GrowthProfileEnum, description: 'Stable or fast-growing.' }),
    description: t.string({ description: SegmentFields.description }),
  }),
});

const ElementImportanceInput = builder.inputType('SetElementImportanceInput', {
  description: 'How much a segment values a service element.',
  fields: t => ({
    segmentId: t.globalID({ required: true, description: 'The segment.' }),
    elementId: t.globalID({ required: true, description: 'The service element.' }),
    importance: t.int({ required: true, description: 'Importance, 1–5.' }),
  }),
});

const PackageElementInput = builder.inputType('PackageElementInput', {
  description: 'One element of a service package.',
  fields: t => ({
    elementId: t.globalID({ required: true, description: 'The service element.' }),
    inclusion: t.field({ type: ElementInclusionEnum, required: true, description: 'Its inclusion.' }),
  }),
});

const CreateServicePackageInput = builder.inputType('CreateServicePackageInput', {
  description: 'A segment’s service package.',
  fields: t => ({
    code: t.string({ required: true, description: CODE }),
    name: t.string({ required: true, description: NAME }),
    segmentId: t.globalID({ required: true, description: 'The segment.' }),
    description: t.string({ description: `What the package is, ${DESCRIPTION}.` }),
    elements: t.field({
      type: [PackageElementInput],
      description: `Its elements and their inclusion, each element once, at most ${MAX_PACKAGE_ELEMENTS}.`,
    }),
  }),
});

const SetPackageElementInput = builder.inputType('SetPackageElementInput', {
  description: 'Sets one element’s inclusion in a package.',
  fields: t => ({
    packageId: t.globalID({ required: true, description: 'The package.' }),
    elementId: t.globalID({ required: true, description: 'The service element.' }),
    inclusion: t.field({ type: ElementInclusionEnum, required: true, description: 'Its inclusion.' }),
  }),
});

const SetGridCellInput = builder.inputType('SetGridCellInput', {
  description: 'Names the package that applies to a segment at a pyramid level.',
  fields: t => ({
    segmentId: t.globalID({ required: true, description: 'The segment.' }),
    pyramidLevel: t.field({ type: PyramidLevelEnum, required: true, description: 'The pyramid level.' }),
    packageId: t.globalID({ required: true, description: 'A package of the same segment.' }),
  }),
});

const UpdateServiceStandardInput = builder.inputType('UpdateServiceStandardInput', {
  description: 'The new service standard of a pyramid level.',
  fields: t => ({
    pyramidLevel: t.field({ type: PyramidLevelEnum, required: true, description: 'The level.' }),
    text: t.string({
      required: true,
      description: `The standard, 1 to ${MAX_SERVICE_STANDARD_LENGTH.toLocaleString('en-US')} characters.`,
    }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
  }),
});

const CreateServiceElementInput = builder.inputType('CreateServiceElementInput', {
  description: 'A new service element.',
  fields: t => ({
    code: t.string({ required: true, description: CODE }),
    name: t.string({ required: true, description: NAME }),
    description: t.string({ description: `What it is, ${DESCRIPTION}.` }),
    position: t.int({
      description:
        'Its place in the display order, from 1 (first) to the number of elements + 1 (last, also when left out); the elements from there on move one down.',
    }),
  }),
});

const UpdateServiceElementInput = builder.inputType('UpdateServiceElementInput', {
  description: 'Changes to a service element; omitted fields keep their value. Its code stays.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The service element.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    name: t.string({ description: `${NAME} Cannot be cleared.` }),
    description: t.string({ description: `What it is, ${DESCRIPTION}; ${CLEARS}.` }),
    position: t.int({
      description:
        'Moves it to this place in the display order, from 1 (first) to the number of elements (last); the elements in between move up or down one.',
    }),
  }),
});

const RemoveServiceElementInput = builder.inputType('RemoveServiceElementInput', {
  description: 'A service element to remove.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The service element.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
  }),
});

const UpdateServicePackageInput = builder.inputType('UpdateServicePackageInput', {
  description:
    'Changes to a service package; omitted fields keep their value. Its code and segment stay; setPackageElement changes its elements.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The service package.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    name: t.string({ description: `${NAME} Cannot be cleared.` }),
    description: t.string({ description: `What the package is, ${DESCRIPTION}; ${CLEARS}.` }),
  }),
});

const RemoveServicePackageInput = builder.inputType('RemoveServicePackageInput', {
  description: 'A service package to remove.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The service package.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
  }),
});

builder.mutationFields(t => ({
  createSegment: t.field({
    type: SegmentRef,
    description: 'Creates a segment (ADMIN).',
    authScopes: { admin: true },
    errors: described('creating a segment'),
    args: { input: t.arg({ type: CreateSegmentInput, required: true, description: 'The segment.' }) },
    resolve: (_, { input }, ctx) => createSegment(ctx.em, input, ctx.actor),
  }),
  updateSegment: t.field({
    type: SegmentRef,
    description: 'Changes a segment (ADMIN).',
    authScopes: { admin: true },
    errors: described('updating a segment'),
    args: { input: t.arg({ type: UpdateSegmentInput, required: true, description: 'The change.' }) },
    resolve: (_, { input }, ctx) =>
      updateSegment(
        ctx.em,
        {
          ...input,
          id: decodeId(input.id, 'Segment'),
          name: notCleared(input.name, 'name', 'segment'),
          buyerOrientation: notCleared(input.buyerOrientation, 'buyerOrientation', 'segment'),
        },
        ctx.actor,
      ),
  }),
  setElementImportance: t.field({
    type: ElementImportanceRef,
    description: 'Sets how much a segment values a service element, 1–5 (ADMIN).',
    authScopes: { admin: true },
    errors: described('setting an element’s importance'),
    args: { input: t.arg({ type: ElementImportanceInput, required: true, description: 'The rating.' }) },
    resolve: (_, { input }, ctx) =>
      setElementImportance(
        ctx.em,
        {
          segmentId: decodeId(input.segmentId, 'Segment', 'segmentId'),
          elementId: decodeId(input.elementId, 'ServiceElement', 'elementId'),
          importance: input.importance,
        },
        ctx.actor,
      ),
  }),
  createServicePackage: t.field({
    type: ServicePackageRef,
    description: 'Creates a segment’s service package with each element’s inclusion (ADMIN).',
    authScopes: { admin: true },
    errors: described('creating a service package'),
    args: { input: t.arg({ type: CreateServicePackageInput, required: true, description: 'The package.' }) },
    resolve: (_, { input }, ctx) =>
      createServicePackage(
        ctx.em,
        {
          code: input.code,
          name: input.name,
          segmentId: decodeId(input.segmentId, 'Segment', 'segmentId'),
          description: input.description,
          elements: (input.elements ?? []).map((e, i) => ({
            elementId: decodeId(e.elementId, 'ServiceElement', ['elements', i, 'elementId']),
            inclusion: e.inclusion,
          })),
        },
        ctx.actor,
      ),
  }),
  setPackageElement: t.field({
    type: PackageElementRef,
    description: 'Sets whether an element is included in a package or charged separately (ADMIN).',
    authScopes: { admin: true },
    errors: described('setting a package element'),
    args: { input: t.arg({ type: SetPackageElementInput, required: true, description: 'The inclusion.' }) },
    resolve: (_, { input }, ctx) =>
      setPackageElement(
        ctx.em,
        {
          packageId: decodeId(input.packageId, 'ServicePackage', 'packageId'),
          elementId: decodeId(input.elementId, 'ServiceElement', 'elementId'),
          inclusion: input.inclusion,
        },
        ctx.actor,
      ),
  }),
  setGridCell: t.field({
    type: GridCellRef,
    description: 'Names the service package that applies to a segment at a pyramid level (ADMIN).',
    authScopes: { admin: true },
    errors: described('setting a grid cell'),
    args: { input: t.arg({ type: SetGridCellInput, required: true, description: 'The cell.' }) },
    resolve: (_, { input }, ctx) =>
      setGridCell(
        ctx.em,
        {
          segmentId: decodeId(input.segmentId, 'Segment', 'segmentId'),
          pyramidLevel: input.pyramidLevel,
          packageId: decodeId(input.packageId, 'ServicePackage', 'packageId'),
        },
        ctx.actor,
      ),
  }),
  updateServiceStandard: t.field({
    type: ServiceStandardRef,
    description: 'Edits the service standard of a pyramid level (ADMIN).',
    authScopes: { admin: true },
    errors: described('updating a service standard'),
    args: {
      input: t.arg({ type: UpdateServiceStandardInput, required: true, description: 'The standard.' }),
    },
    resolve: (_, { input }, ctx) => updateServiceStandard(ctx.em, input, ctx.actor),
  }),
  createServiceElement: t.field({
    type: ServiceElementRef,
    description: 'Adds a service element, last or at a position (ADMIN).',
    authScopes: { admin: true },
    errors: described('creating a service element'),
    args: {
      input: t.arg({ type: CreateServiceElementInput, required: true, description: 'The element.' }),
    },
    resolve: (_, { input }, ctx) => createServiceElement(ctx.em, input, ctx.actor),
  }),
  updateServiceElement: t.field({
    type: ServiceElementRef,
    description: 'Renames, re-describes or moves a service element (ADMIN).',
    authScopes: { admin: true },
    errors: described('updating a service element'),
    args: {
      input: t.arg({ type: UpdateServiceElementInput, required: true, description: 'The change.' }),
    },
    resolve: (_, { input }, ctx) =>
      updateServiceElement(
        ctx.em,
        {
          ...input,
          id: decodeId(input.id, 'ServiceElement'),
          name: notCleared(input.name, 'name', 'service element'),
          position: notCleared(input.position, 'position', 'service element'),
        },
        ctx.actor,
      ),
  }),
  removeServiceElement: t.field({
    type: RemovalRef,
    description:
      'Removes a service element with the segments’ ratings of it, unless a package includes it or charges it separately (ADMIN; the audit trail keeps the records).',
    authScopes: { admin: true },
    errors: described('removing a service element', 'The removed service element’s id.'),
    args: {
      input: t.arg({ type: RemoveServiceElementInput, required: true, description: 'The element.' }),
    },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'ServiceElement');
      await removeServiceElement(ctx.em, { id, expectedVersion: input.expectedVersion }, ctx.actor);
      return { typename: 'ServiceElement', id };
    },
  }),
  updateServicePackage: t.field({
    type: ServicePackageRef,
    description: 'Renames or re-describes a service package (ADMIN).',
    authScopes: { admin: true },
    errors: described('updating a service package'),
    args: {
      input: t.arg({ type: UpdateServicePackageInput, required: true, description: 'The change.' }),
    },
    resolve: (_, { input }, ctx) =>
      updateServicePackage(
        ctx.em,
        {
          ...input,
          id: decodeId(input.id, 'ServicePackage'),
          name: notCleared(input.name, 'name', 'service package'),
        },
        ctx.actor,
      ),
  }),
  removeServicePackage: t.field({
    type: RemovalRef,
    description:
      'Removes a service package with its elements’ inclusions, unless a cell of the segmentation grid names it (ADMIN; the audit trail keeps the records).',
    authScopes: { admin: true },
    errors: described('removing a service package', 'The removed service package’s id.'),
    args: {
      input: t.arg({ type: RemoveServicePackageInput, required: true, description: 'The package.' }),
    },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'ServicePackage');
      await removeServicePackage(ctx.em, { id, expectedVersion: input.expectedVersion }, ctx.actor);
      return { typename: 'ServicePackage', id };
    },
  }),
}));
