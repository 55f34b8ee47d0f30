import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail } from '../common/lookup.ts';
import { assertVersion, writeAs } from '../common/unit-of-work.ts';
import {
  nameSchema,
  optionalText,
  parseInput,
  ruleIssue,
  scoreSchema,
  versionSchema,
} from '../common/validation.ts';
import {
  BUYER_ORIENTATIONS,
  ELEMENT_INCLUSIONS,
  GROWTH_PROFILES,
  PYRAMID_LEVELS,
  SEGMENT_SCOPES,
  SIZE_CLASSES,
} from '../common/vocabulary.ts';
import { Segment } from './segment.entity.ts';
import {
  ElementImportance,
  GridCell,
  PackageElement,
  ServiceElement,
  ServicePackage,
  ServiceStandard,
} from './service-element.entity.ts';

const codeSchema = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9_-]{0,39}$/, 'must be upper-case letters, digits, _ or -');

export const segmentFieldsSchema = z.object({
  name: nameSchema,
  buyerOrientation: z.enum(BUYER_ORIENTATIONS),
  channel: optionalText(80),
  sizeClass: z.enum(SIZE_CLASSES).nullish(),
  scope: z.enum(SEGMENT_SCOPES).nullish(),
  growthProfile: z.enum(GROWTH_PROFILES).nullish(),
  description: optionalText(20_000),
});
export const createSegmentSchema = segmentFieldsSchema.extend({ code: codeSchema });
export type CreateSegmentInput = z.input<typeof createSegmentSchema>;
export const updateSegmentSchema = segmentFieldsSchema
  .partial()
  .extend({ id: z.number().int().positive(), expectedVersion: versionSchema });
export type UpdateSegmentInput = z.input<typeof updateSegmentSchema>;

export async function createSegment(em: EntityManager, input: CreateSegmentInput, actor: Actor) {
  const data = parseInput(createSegmentSchema, input, 'segment');
  return writeAs(em, actor, async tx => {
    if (await tx.count(Segment, { code: data.code })) {
      throw new DomainError('CODE_TAKEN', `A segment with code ${data.code} already exists.`);
    }
    return tx.create(Segment, {
      code: data.code,
      name: data.name,
      buyerOrientation: data.buyerOrientation,
      channel: data.channel ?? null,
      sizeClass: data.sizeClass ?? null,
      scope: data.scope ?? null,
      growthProfile: data.growthProfile ?? null,
      description: data.description ?? null,
    });
  });
}

export async function updateSegment(em: EntityManager, input: UpdateSegmentInput, actor: Actor) {
  const data = parseInput(updateSegmentSchema, input, 'segment');
  return writeAs(em, actor, async tx => {
    const segment = await findOrFail(tx, Segment, data.id, 'Segment');
    assertVersion('Segment', segment, data.expectedVersion, `Segment ${segment.code}`);
    const { id: _id, expectedVersion: _v, ...fields } = data;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) (segment as unknown as Record<string, unknown>)[key] = value;
    }
    return segment;
  });
}

export const setElementImportanceSchema = z.object({
  segmentId: z.number().int().positive(),
  elementId: z.number().int().positive(),
  importance: scoreSchema,
});

/** Sets how much a segment values a service element (1–5). */
export async function setElementImportance(
  em: EntityManager,
  input: z.input<typeof setElementImportanceSchema>,
  actor: Actor,
) {
  const data = parseInput(setElementImportanceSchema, input, 'element importance');
  return writeAs(em, actor, async tx => {
    const segment = await findOrFail(tx, Segment, data.segmentId, 'Segment');
    const element = await findOrFail(tx, ServiceElement, data.elementId, 'Service element');
    const existing = await tx.findOne(ElementImportance, { segment, element });
    if (existing) {
      existing.importance = data.importance;
      return existing;
    }
    return tx.create(ElementImportance, { segment, element, importance: data.importance });
  });
}

export const createServicePackageSchema = z.object({
  code: codeSchema,
  name: nameSchema,
  segmentId: z.number().int().positive(),
  description: optionalText(20_000),
  elements: z
    .array(z.object({ elementId: z.number().int().positive(), inclusion: z.enum(ELEMENT_INCLUSIONS) }))
    .max(100)
    .superRefine((elements, ctx) => {
      // An element has one inclusion in a package: a repeat is named at its own place in the list.
      const first = new Map<number, number>();
      elements.forEach(({ elementId }, i) => {
        const earlier = first.get(elementId);
        if (earlier === undefined) first.set(elementId, i);
        else {
          ctx.addIssue(
            ruleIssue(
              'DUPLICATE_ROW',
              [i, 'elementId'],
              `the same element as elements.${earlier}; list each element once`,
            ),
          );
        }
      });
    })
    .default([]),
});

/** Creates a segment's service package with the inclusion of each element. */
export async function createServicePackage(
  em: EntityManager,
  input: z.input<typeof createServicePackageSchema>,
  actor: Actor,
) {
  const data = parseInput(createServicePackageSchema, input, 'service package');
  return writeAs(em, actor, async tx => {
    if (await tx.count(ServicePackage, { code: data.code })) {
      throw new DomainError('CODE_TAKEN', `A service package with code ${data.code} already exists.`);
    }
    const segment = await findOrFail(tx, Segment, data.segmentId, 'Segment');
    const servicePackage = tx.create(ServicePackage, {
      code: data.code,
      name: data.name,
      segment,
      description: data.description ?? null,
    });
    for (const e of data.elements) {
      const element = await findOrFail(tx, ServiceElement, e.elementId, 'Service element');
      tx.create(PackageElement, { servicePackage, element, inclusion: e.inclusion });
    }
    return servicePackage;
  });
}

export const setPackageElementSchema = z.object({
  packageId: z.number().int().positive(),
  elementId: z.number().int().positive(),
  inclusion: z.enum(ELEMENT_INCLUSIONS),
});

export async function setPackageElement(
  em: EntityManager,
  input: z.input<typeof setPackageElementSchema>,
  actor: Actor,
) {
  const data = parseInput(setPackageElementSchema, input, 'package element');
  return writeAs(em, actor, async tx => {
    const servicePackage = await findOrFail(tx, ServicePackage, data.packageId, 'Service package');
    const element = await findOrFail(tx, ServiceElement, data.elementId, 'Service element');
    const existing = await tx.findOne(PackageElement, { servicePackage, element });
    if (existing) {
      existing.inclusion = data.inclusion;
      return existing;
    }
    return tx.create(PackageElement, { servicePackage, element, inclusion: data.inclusion });
  });
}

export const setGridCellSchema = z.object({
  segmentId: z.number().int().positive(),
  pyramidLevel: z.enum(PYRAMID_LEVELS),
  packageId: z.number().int().positive(),
});

/** Names the service package that applies to a segment at a pyramid level. */
export async function setGridCell(em: EntityManager, input: z.input<typeof setGridCellSchema>, actor: Actor) {
  const data = parseInput(setGridCellSchema, input, 'grid cell');
  return writeAs(em, actor, async tx => {
    const segment = await findOrFail(tx, Segment, data.segmentId, 'Segment');
    const servicePackage = await findOrFail(tx, ServicePackage, data.packageId, 'Service package');
    if (servicePackage.segment.id !== segment.id) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `Package ${servicePackage.code} belongs to another segment; a grid cell names a package of its own segment.`,
        {
          issues: [{ path: ['packageId'], message: 'package of another segment', code: 'VALIDATION_FAILED' }],
        },
      );
    }
    const existing = await tx.findOne(GridCell, { segment, pyramidLevel: data.pyramidLevel });
    if (existing) {
      existing.servicePackage = servicePackage;
      return existing;
    }
    return tx.create(GridCell, { segment, pyramidLevel: data.pyramidLevel, servicePackage });
  });
}

export const updateServiceStandardSchema = z.object({
  pyramidLevel: z.enum(PYRAMID_LEVELS),
  text: z.string().trim().min(1).max(2000),
  expectedVersion: versionSchema,
});

/** Edits the service standard of a pyramid level. */
export async function updateServiceStandard(
  em: EntityManager,
  input: z.input<typeof updateServiceStandardSchema>,
  actor: Actor,
) {
  const data = parseInput(updateServiceStandardSchema, input, 'service standard');
  return writeAs(em, actor, async tx => {
    const standard = await tx.findOne(ServiceStandard, { pyramidLevel: data.pyramidLevel });
    if (!standard) {
      throw new DomainError(
        'NOT_FOUND',
        `No service standard for ${data.pyramidLevel}; run kam migrate first.`,
      );
    }
    assertVersion(
      'ServiceStandard',
      standard,
      data.expectedVersion,
      `The service standard of ${data.pyramidLevel}`,
    );
    standard.text = data.text;
    return standard;
  });
}
