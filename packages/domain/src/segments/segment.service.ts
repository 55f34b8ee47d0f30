import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail, lockOnPostgreSql } from '../common/lookup.ts';
import { assertVersion, writeAs } from '../common/unit-of-work.ts';
import {
  nameSchema,
  optionalText,
  parseInput,
  ruleIssue,
  scoreSchema,
  unlessMissing,
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
import { counted, listed } from '../common/words.ts';
import { Segment } from './segment.entity.ts';
import {
  ElementImportance,
  GridCell,
  PackageElement,
  ServiceElement,
  ServicePackage,
  ServiceStandard,
} from './service-element.entity.ts';

/** The longest code of a segment, a service element or a service package. */
export const MAX_CODE_LENGTH = 40;
/** The most elements a service package lists. */
export const MAX_PACKAGE_ELEMENTS = 100;
/** The longest service standard. */
export const MAX_SERVICE_STANDARD_LENGTH = 2000;

// Each limit says itself: a code one character too long is too long, not badly written.
const codeSchema = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty', abort: true })
  .max(MAX_CODE_LENGTH, `must be at most ${MAX_CODE_LENGTH} characters`)
  .regex(
    /^[A-Z0-9][A-Z0-9_-]*$/,
    'must be upper-case letters, digits, _ or -, starting with a letter or digit, like LOYAL-LARGE',
  );

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
    .max(MAX_PACKAGE_ELEMENTS, `must list at most ${MAX_PACKAGE_ELEMENTS} elements`)
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
  text: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(
      MAX_SERVICE_STANDARD_LENGTH,
      `must be at most ${MAX_SERVICE_STANDARD_LENGTH.toLocaleString('en-US')} characters`,
    ),
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

const positionSchema = z
  .number({ error: unlessMissing('must be a whole number from 1 (first)') })
  .int('must be a whole number from 1 (first)')
  .min(1, 'must be a whole number from 1 (first)');

export const createServiceElementSchema = z.object({
  code: codeSchema,
  name: nameSchema,
  description: optionalText(20_000),
  /** Its place in the display order, 1 first; left out (or null), it goes last. */
  position: positionSchema.nullish(),
});
export type CreateServiceElementInput = z.input<typeof createServiceElementSchema>;

export const updateServiceElementSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  name: nameSchema.optional(),
  description: optionalText(20_000),
  position: positionSchema.optional(),
});
export type UpdateServiceElementInput = z.input<typeof updateServiceElementSchema>;

/**
 * Every service element in display order, with the table locked against other writers of the
 * order until the transaction ends (on PostgreSQL; SQLite writes one transaction at a time), so
 * that two moves at once cannot leave two elements at one position.
 */
async function elementsInOrder(tx: EntityManager): Promise<ServiceElement[]> {
  await lockOnPostgreSql(tx, 'lock table service_element in share row exclusive mode');
  return tx.find(ServiceElement, {}, { orderBy: { position: 'asc', id: 'asc' } });
}

/** Numbers `elements` 1..n in the order given, changing (and auditing) only those that move. */
function renumber(elements: ServiceElement[]): void {
  elements.forEach((element, i) => {
    if (element.position !== i + 1) element.position = i + 1;
  });
}

/** VALIDATION_FAILED at `position` for a place past the end of the display order. */
function positionPastEnd(what: string, max: number, reason: string): DomainError {
  const message = `must be at most ${max}: ${reason}`;
  return new DomainError('VALIDATION_FAILED', `Invalid ${what}: position: ${message}.`, {
    issues: [{ path: ['position'], message, code: 'VALIDATION_FAILED' }],
  });
}

/**
 * Adds a service element at `position` (last when left out); the elements from that place on
 * move one down, so the positions stay 1..n.
 */
export async function createServiceElement(
  em: EntityManager,
  input: CreateServiceElementInput,
  actor: Actor,
) {
  const data = parseInput(createServiceElementSchema, input, 'service element');
  return writeAs(em, actor, async tx => {
    if (await tx.count(ServiceElement, { code: data.code })) {
      throw new DomainError('CODE_TAKEN', `A service element with code ${data.code} already exists.`);
    }
    const elements = await elementsInOrder(tx);
    const last = elements.length + 1;
    const position = data.position ?? last;
    if (position > last) {
      throw positionPastEnd(
        'service element',
        last,
        `there are ${counted(elements.length, 'service element')}, and ${last} puts it last`,
      );
    }
    const element = tx.create(ServiceElement, {
      code: data.code,
      name: data.name,
      description: data.description ?? null,
      position,
    });
    elements.splice(position - 1, 0, element);
    renumber(elements);
    return element;
  });
}

/**
 * Renames, re-describes or moves a service element (its code stays); a move renumbers the
 * elements in between, so the positions stay 1..n.
 */
export async function updateServiceElement(
  em: EntityManager,
  input: UpdateServiceElementInput,
  actor: Actor,
) {
  const data = parseInput(updateServiceElementSchema, input, 'service element');
  return writeAs(em, actor, async tx => {
    const elements = await elementsInOrder(tx);
    const element =
      elements.find(e => e.id === data.id) ??
      (await findOrFail(tx, ServiceElement, data.id, 'Service element'));
    assertVersion('ServiceElement', element, data.expectedVersion, `Service element ${element.code}`);
    if (data.name !== undefined) element.name = data.name;
    if (data.description !== undefined) element.description = data.description;
    if (data.position !== undefined) {
      if (data.position > elements.length) {
        throw positionPastEnd(
          'service element',
          elements.length,
          `there are ${counted(elements.length, 'service element')}`,
        );
      }
      const others = elements.filter(e => e !== element);
      others.splice(data.position - 1, 0, element);
      renumber(others);
    }
    return element;
  });
}

/**
 * Removes a service element, with the segments' ratings of it and the packages' NOT_OFFERED
 * rows of it (the audit trail keeps them); the elements after it move up. Refused
 * (SERVICE_ELEMENT_IN_USE) while a package includes it or charges it separately: that is an
 * offer to the package's segment, which its package must drop first.
 */
export async function removeServiceElement(
  em: EntityManager,
  input: { id: number; expectedVersion: number },
  actor: Actor,
) {
  return writeAs(em, actor, async tx => {
    const elements = await elementsInOrder(tx);
    const element =
      elements.find(e => e.id === input.id) ??
      (await findOrFail(tx, ServiceElement, input.id, 'Service element'));
    assertVersion('ServiceElement', element, input.expectedVersion, `Service element ${element.code}`);
    const rows = await tx.find(PackageElement, { element }, { populate: ['servicePackage'] });
    const offered = rows
      .filter(r => r.inclusion !== 'NOT_OFFERED')
      .sort((a, b) => a.servicePackage.code.localeCompare(b.servicePackage.code));
    if (offered.length > 0) {
      throw new DomainError(
        'SERVICE_ELEMENT_IN_USE',
        `Service element ${element.code} cannot be removed: ${offered.length === 1 ? 'service package' : 'service packages'} ${listed(offered.map(r => `${r.servicePackage.code} (${r.inclusion})`))} ${offered.length === 1 ? 'offers' : 'offer'} it. Set its inclusion to NOT_OFFERED in ${offered.length === 1 ? 'that package' : 'those packages'} (setPackageElement), or remove ${offered.length === 1 ? 'it' : 'the packages'}, then remove the element.`,
        { details: { packages: offered.map(r => r.servicePackage.code) } },
      );
    }
    // Through the unit of work, not the database: each row's removal is audited.
    for (const row of rows) tx.remove(row);
    for (const rating of await tx.find(ElementImportance, { element })) tx.remove(rating);
    tx.remove(element);
    renumber(elements.filter(e => e !== element));
    return { id: input.id };
  });
}

export const updateServicePackageSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  name: nameSchema.optional(),
  description: optionalText(20_000),
});
export type UpdateServicePackageInput = z.input<typeof updateServicePackageSchema>;

/** Renames or re-describes a service package (its code, segment and elements stay). */
export async function updateServicePackage(
  em: EntityManager,
  input: UpdateServicePackageInput,
  actor: Actor,
) {
  const data = parseInput(updateServicePackageSchema, input, 'service package');
  return writeAs(em, actor, async tx => {
    const servicePackage = await findOrFail(tx, ServicePackage, data.id, 'Service package');
    assertVersion(
      'ServicePackage',
      servicePackage,
      data.expectedVersion,
      `Service package ${servicePackage.code}`,
    );
    if (data.name !== undefined) servicePackage.name = data.name;
    if (data.description !== undefined) servicePackage.description = data.description;
    return servicePackage;
  });
}

/**
 * Removes a service package with its elements' inclusions (the audit trail keeps them).
 * Refused (SERVICE_PACKAGE_IN_USE) while a cell of the segmentation grid names it.
 */
export async function removeServicePackage(
  em: EntityManager,
  input: { id: number; expectedVersion: number },
  actor: Actor,
) {
  return writeAs(em, actor, async tx => {
    const servicePackage = await findOrFail(tx, ServicePackage, input.id, 'Service package');
    assertVersion(
      'ServicePackage',
      servicePackage,
      input.expectedVersion,
      `Service package ${servicePackage.code}`,
    );
    const cells = await tx.find(GridCell, { servicePackage }, { populate: ['segment'] });
    if (cells.length > 0) {
      // A cell names a package of its own segment (setGridCell): every cell is in that segment's row.
      const segment = cells[0]!.segment;
      const names = cells
        .sort((a, b) => PYRAMID_LEVELS.indexOf(a.pyramidLevel) - PYRAMID_LEVELS.indexOf(b.pyramidLevel))
        .map(c => `${c.segment.code} at ${c.pyramidLevel}`);
      throw new DomainError(
        'SERVICE_PACKAGE_IN_USE',
        `Service package ${servicePackage.code} cannot be removed: the segmentation grid names it in ${counted(cells.length, 'cell')}, ${listed(names)}. Name another package of segment ${segment.code} in ${cells.length === 1 ? 'that cell' : 'those cells'} (setGridCell), then remove the package.`,
        { details: { cells: cells.map(c => ({ segment: c.segment.code, pyramidLevel: c.pyramidLevel })) } },
      );
    }
    for (const row of await tx.find(PackageElement, { servicePackage })) tx.remove(row);
    tx.remove(servicePackage);
    return { id: input.id };
  });
}
