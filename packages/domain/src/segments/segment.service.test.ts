import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../audit/audit-entry.entity.ts';
import { DEFAULT_SERVICE_STANDARDS, ensureReferenceData } from '../settings/reference-data.ts';
import { createTestDatabase, expectRejected, type TestDatabase, testActor } from '../testing/index.ts';
import { Segment } from './segment.entity.ts';
import {
  createSegment,
  createServiceElement,
  createServicePackage,
  removeServiceElement,
  removeServicePackage,
  setElementImportance,
  setGridCell,
  setPackageElement,
  updateSegment,
  updateServiceElement,
  updateServicePackage,
  updateServiceStandard,
} from './segment.service.ts';
import {
  ElementImportance,
  GridCell,
  PackageElement,
  ServiceElement,
  ServicePackage,
  ServiceStandard,
} from './service-element.entity.ts';

let db: TestDatabase;
let elementId: number;
let otherElementId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  elementId = (await db.em().findOneOrFail(ServiceElement, { code: 'TECHNICAL_SUPPORT' })).id;
  otherElementId = (await db.em().findOneOrFail(ServiceElement, { code: 'TRAINING' })).id;
});
afterAll(async () => {
  await db.close();
});

describe('segments rate each service element 1–5', () => {
  it.each([0, 6, 1.5])(
    'rejects importance %s with SCORE_OUT_OF_RANGE and writes nothing',
    async importance => {
      const segment = await createSegment(
        db.em(),
        {
          code: `SEG-${String(importance).replace('.', '_')}`,
          name: 'Price buyers',
          buyerOrientation: 'PRICE',
        },
        testActor,
      );
      const error = await expectRejected(
        db.em(),
        'SCORE_OUT_OF_RANGE',
        () => setElementImportance(db.em(), { segmentId: segment.id, elementId, importance }, testActor),
        ['element_importance'],
      );
      expect(error.issues[0]?.path).toEqual(['importance']);
    },
  );

  it('stores and changes a valid importance', async () => {
    const segment = await createSegment(
      db.em(),
      { code: 'SEG-OK', name: 'Loyal', buyerOrientation: 'LOYALTY' },
      testActor,
    );
    await setElementImportance(db.em(), { segmentId: segment.id, elementId, importance: 5 }, testActor);
    await setElementImportance(db.em(), { segmentId: segment.id, elementId, importance: 1 }, testActor);
    const stored = await db.em().find(ElementImportance, { segment: segment.id });
    expect(stored.map(s => s.importance)).toEqual([1]);
  });
});

describe('segment codes, packages and the grid', () => {
  it('a segment code is unique', async () => {
    await createSegment(db.em(), { code: 'SEG-UNIQUE', name: 'One', buyerOrientation: 'PRICE' }, testActor);
    await expectRejected(
      db.em(),
      'CODE_TAKEN',
      () =>
        createSegment(db.em(), { code: 'SEG-UNIQUE', name: 'Two', buyerOrientation: 'LOYALTY' }, testActor),
      ['segment'],
    );
  });

  it('a package lists an element once, and a grid cell names a package of its own segment', async () => {
    const a = await createSegment(
      db.em(),
      { code: 'SEG-A', name: 'A', buyerOrientation: 'PRICE' },
      testActor,
    );
    const b = await createSegment(
      db.em(),
      { code: 'SEG-B', name: 'B', buyerOrientation: 'LOYALTY' },
      testActor,
    );
    // The element listed again is named by its place in the list, as an unknown element id is.
    const twice = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        createServicePackage(
          db.em(),
          {
            code: 'PKG-DUP',
            name: 'Twice',
            segmentId: a.id,
            elements: [
              { elementId, inclusion: 'INCLUDED' },
              { elementId: otherElementId, inclusion: 'INCLUDED' },
              { elementId, inclusion: 'CHARGED_SEPARATELY' },
            ],
          },
          testActor,
        ),
      ['service_package', 'package_element'],
    );
    expect(twice.issues).toEqual([
      {
        path: ['elements', 2, 'elementId'],
        message: 'the same element as elements.0; list each element once',
        code: 'DUPLICATE_ROW',
      },
    ]);
    expect(twice.message).toBe(
      'Invalid service package: elements.2.elementId: the same element as elements.0; list each element once.',
    );
    const pkg = await createServicePackage(
      db.em(),
      { code: 'PKG-A', name: 'Basic', segmentId: a.id },
      testActor,
    );
    await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => setGridCell(db.em(), { segmentId: b.id, pyramidLevel: 'KEY', packageId: pkg.id }, testActor),
      ['grid_cell'],
    );
  });
});

describe('optimistic locking of segments and service standards', () => {
  it('a stale expectedVersion is VERSION_CONFLICT and changes nothing', async () => {
    const segment = await createSegment(
      db.em(),
      { code: 'SEG-LOCK', name: 'Before', buyerOrientation: 'PRICE' },
      testActor,
    );
    await updateSegment(db.em(), { id: segment.id, expectedVersion: 1, name: 'First' }, testActor);
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updateSegment(db.em(), { id: segment.id, expectedVersion: 1, name: 'Second' }, testActor),
      ['segment'],
    );
    expect((await db.em().findOneOrFail(Segment, segment.id)).name).toBe('First');

    await updateServiceStandard(
      db.em(),
      { pyramidLevel: 'KEY', text: 'Proactive KAM', expectedVersion: 1 },
      testActor,
    );
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () =>
        updateServiceStandard(db.em(), { pyramidLevel: 'KEY', text: 'Stale', expectedVersion: 1 }, testActor),
      ['service_standard'],
    );
    const standard = await db.em().findOneOrFail(ServiceStandard, { pyramidLevel: 'KEY' });
    expect([standard.text, standard.version]).toEqual(['Proactive KAM', 2]);
    const untouched = await db.em().findOneOrFail(ServiceStandard, { pyramidLevel: 'SUSPECT' });
    expect(untouched.text).toBe(DEFAULT_SERVICE_STANDARDS.SUSPECT);
  });
});

describe('a blank optional text is no value', () => {
  it('a segment’s blank channel and description, and a package’s blank description, are stored as null', async () => {
    const segment = await createSegment(
      db.em(),
      { code: 'SEG-BLANK', name: 'Blank', buyerOrientation: 'PRICE', channel: '  ', description: ' \n' },
      testActor,
    );
    const stored = await db.em().findOneOrFail(Segment, segment.id);
    expect([stored.channel, stored.description]).toEqual([null, null]);
    await updateSegment(
      db.em(),
      { id: segment.id, expectedVersion: 1, channel: 'Distributors', description: 'Resellers' },
      testActor,
    );
    await updateSegment(db.em(), { id: segment.id, expectedVersion: 2, description: '' }, testActor);
    const updated = await db.em().findOneOrFail(Segment, segment.id);
    expect([updated.channel, updated.description]).toEqual(['Distributors', null]);
    const pkg = await createServicePackage(
      db.em(),
      { code: 'PKG-BLANK', name: 'Blank', segmentId: segment.id, description: '   ' },
      testActor,
    );
    expect((await db.em().findOneOrFail(ServicePackage, pkg.id)).description).toBeNull();
  });
});

describe('validation messages say the limit, in kam’s words', () => {
  it('a code of 41 characters is refused for its length, not for its letters', async () => {
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        createSegment(db.em(), { code: 'A'.repeat(41), name: 'Long', buyerOrientation: 'PRICE' }, testActor),
      ['segment'],
    );
    expect(error.issues.map(i => [i.path, i.message])).toEqual([[['code'], 'must be at most 40 characters']]);
  });

  it('a service standard must not be blank nor longer than 2,000 characters', async () => {
    const stored = await db.em().findOneOrFail(ServiceStandard, { pyramidLevel: 'PROSPECT' });
    for (const [text, message] of [
      ['   ', 'must not be empty'],
      ['x'.repeat(2001), 'must be at most 2,000 characters'],
    ] as const) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () =>
          updateServiceStandard(
            db.em(),
            { pyramidLevel: 'PROSPECT', text, expectedVersion: stored.version },
            testActor,
          ),
        ['service_standard'],
      );
      expect(error.issues.map(i => [i.path, i.message])).toEqual([[['text'], message]]);
    }
  });

  it('a service package lists at most 100 elements', async () => {
    const segment = await createSegment(
      db.em(),
      { code: 'SEG-MANY', name: 'Many', buyerOrientation: 'PRICE' },
      testActor,
    );
    const elements = Array.from({ length: 101 }, (_, i) => ({
      elementId: i + 1,
      inclusion: 'INCLUDED' as const,
    }));
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        createServicePackage(
          db.em(),
          { code: 'PKG-MANY', name: 'Many', segmentId: segment.id, elements },
          testActor,
        ),
      ['service_package', 'package_element'],
    );
    expect(error.issues.map(i => [i.path, i.message])).toEqual([
      [['elements'], 'must list at most 100 elements'],
    ]);
  });
});

/** The codes of the service elements in display order; their positions are 1..n. */
async function elementOrder(): Promise<string[]> {
  const elements = await db.em().find(ServiceElement, {}, { orderBy: { position: 'asc' } });
  expect(elements.map(e => e.position)).toEqual(elements.map((_, i) => i + 1));
  return elements.map(e => e.code);
}

describe('an administrator configures the service elements', () => {
  it('adds an element last or at a position, and a move or a removal renumbers the others 1..n', async () => {
    const before = await elementOrder();
    const last = await createServiceElement(
      db.em(),
      { code: 'SUSTAINABILITY', name: 'Sustainability' },
      testActor,
    );
    expect(last.position).toBe(before.length + 1);
    const first = await createServiceElement(
      db.em(),
      { code: 'DIGITAL_PORTAL', name: 'Digital portal', description: '  ', position: 1 },
      testActor,
    );
    expect([first.position, first.description]).toEqual([1, null]);
    expect(await elementOrder()).toEqual(['DIGITAL_PORTAL', ...before, 'SUSTAINABILITY']);
    // Moved one down by the insertion: a new version, as every element that moved.
    expect((await db.em().findOneOrFail(ServiceElement, last.id)).version).toBe(2);

    const moved = await updateServiceElement(
      db.em(),
      {
        id: last.id,
        expectedVersion: 2,
        name: 'Sustainability support',
        description: 'CO2 reporting',
        position: 2,
      },
      testActor,
    );
    expect([moved.name, moved.description, moved.position, moved.version]).toEqual([
      'Sustainability support',
      'CO2 reporting',
      2,
      3,
    ]);
    expect(await elementOrder()).toEqual(['DIGITAL_PORTAL', 'SUSTAINABILITY', ...before]);

    await removeServiceElement(db.em(), { id: last.id, expectedVersion: 3 }, testActor);
    expect(await elementOrder()).toEqual(['DIGITAL_PORTAL', ...before]);
    await removeServiceElement(db.em(), { id: first.id, expectedVersion: 1 }, testActor);
    expect(await elementOrder()).toEqual(before);
  });

  it('a default element removed stays removed when `kam migrate` runs again', async () => {
    const finance = await db.em().findOneOrFail(ServiceElement, { code: 'FINANCE' });
    await removeServiceElement(db.em(), { id: finance.id, expectedVersion: finance.version }, testActor);
    const without = await elementOrder();
    expect(without).not.toContain('FINANCE');
    expect(await ensureReferenceData(db.em(), testActor)).toBe(0);
    expect(await elementOrder()).toEqual(without);
    const restored = await createServiceElement(
      db.em(),
      { code: 'FINANCE', name: finance.name, position: finance.position },
      testActor,
    );
    expect(restored.position).toBe(finance.position);
  });

  it('refuses a taken code, a position past the end and a stale version, and writes nothing', async () => {
    const count = (await elementOrder()).length;
    await expectRejected(
      db.em(),
      'CODE_TAKEN',
      () => createServiceElement(db.em(), { code: 'TRAINING', name: 'Training again' }, testActor),
      ['service_element'],
    );
    const far = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => createServiceElement(db.em(), { code: 'FAR', name: 'Far', position: count + 2 }, testActor),
      ['service_element'],
    );
    expect(far.issues).toEqual([
      {
        path: ['position'],
        message: `must be at most ${count + 1}: there are ${count} service elements, and ${count + 1} puts it last`,
        code: 'VALIDATION_FAILED',
      },
    ]);
    const zero = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => createServiceElement(db.em(), { code: 'ZERO', name: 'Zero', position: 0 }, testActor),
      ['service_element'],
    );
    expect(zero.issues.map(i => [i.path, i.message])).toEqual([
      [['position'], 'must be a whole number from 1 (first)'],
    ]);
    const training = await db.em().findOneOrFail(ServiceElement, { code: 'TRAINING' });
    await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        updateServiceElement(
          db.em(),
          { id: training.id, expectedVersion: training.version, position: count + 1 },
          testActor,
        ),
      ['service_element'],
    );
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () =>
        updateServiceElement(
          db.em(),
          { id: training.id, expectedVersion: training.version + 1, name: 'x' },
          testActor,
        ),
      ['service_element'],
    );
    expect((await db.em().findOneOrFail(ServiceElement, training.id)).name).toBe('Training');
  });

  it('refuses to remove an element a package includes or charges, naming the packages and the fix', async () => {
    const segment = await createSegment(
      db.em(),
      { code: 'SEG-EL', name: 'Elements', buyerOrientation: 'LOYALTY' },
      testActor,
    );
    const element = await createServiceElement(db.em(), { code: 'HOTLINE', name: 'Hotline' }, testActor);
    const gold = await createServicePackage(
      db.em(),
      {
        code: 'PKG-GOLD',
        name: 'Gold',
        segmentId: segment.id,
        elements: [{ elementId: element.id, inclusion: 'INCLUDED' }],
      },
      testActor,
    );
    const silver = await createServicePackage(
      db.em(),
      {
        code: 'PKG-SILVER',
        name: 'Silver',
        segmentId: segment.id,
        elements: [{ elementId: element.id, inclusion: 'CHARGED_SEPARATELY' }],
      },
      testActor,
    );
    await setElementImportance(
      db.em(),
      { segmentId: segment.id, elementId: element.id, importance: 4 },
      testActor,
    );
    const inUse = await expectRejected(
      db.em(),
      'SERVICE_ELEMENT_IN_USE',
      () => removeServiceElement(db.em(), { id: element.id, expectedVersion: 1 }, testActor),
      ['service_element', 'package_element', 'element_importance'],
    );
    expect(inUse.category).toBe('RULE');
    expect(inUse.message).toBe(
      'Service element HOTLINE cannot be removed: service packages PKG-GOLD (INCLUDED) and PKG-SILVER (CHARGED_SEPARATELY) offer it. Set its inclusion to NOT_OFFERED in those packages (setPackageElement), or remove the packages, then remove the element.',
    );

    // Once no package offers it, it goes, with the packages' NOT_OFFERED rows and the segment's rating.
    for (const pkg of [gold, silver]) {
      await setPackageElement(
        db.em(),
        { packageId: pkg.id, elementId: element.id, inclusion: 'NOT_OFFERED' },
        testActor,
      );
    }
    const auditBefore =
      (await db.em().find(AuditEntry, {}, { orderBy: { id: 'desc' }, limit: 1 }))[0]?.id ?? 0;
    expect(await removeServiceElement(db.em(), { id: element.id, expectedVersion: 1 }, testActor)).toEqual({
      id: element.id,
    });
    expect(await db.em().count(ServiceElement, { id: element.id })).toBe(0);
    expect(await db.em().count(PackageElement, { element: element.id })).toBe(0);
    expect(await db.em().count(ElementImportance, { element: element.id })).toBe(0);
    // Each removed row is in the audit trail, through the removal's unit of work.
    const removal = await db.em().find(AuditEntry, { id: { $gt: auditBefore } });
    expect(removal.map(a => `${a.action} ${a.entityType}`).sort()).toEqual([
      'DELETE ElementImportance',
      'DELETE PackageElement',
      'DELETE PackageElement',
      'DELETE ServiceElement',
    ]);
    await elementOrder();
  });
});

describe('an administrator renames and removes service packages', () => {
  it('renames and re-describes a package; a stale version conflicts', async () => {
    const segment = await createSegment(
      db.em(),
      { code: 'SEG-PKG', name: 'Packages', buyerOrientation: 'PRICE' },
      testActor,
    );
    const pkg = await createServicePackage(
      db.em(),
      { code: 'PKG-BASIC', name: 'Basic', segmentId: segment.id, description: 'The minimum' },
      testActor,
    );
    const renamed = await updateServicePackage(
      db.em(),
      { id: pkg.id, expectedVersion: 1, name: 'Essential', description: '' },
      testActor,
    );
    expect([renamed.code, renamed.name, renamed.description, renamed.version]).toEqual([
      'PKG-BASIC',
      'Essential',
      null,
      2,
    ]);
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updateServicePackage(db.em(), { id: pkg.id, expectedVersion: 1, name: 'Stale' }, testActor),
      ['service_package'],
    );
    const blank = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => updateServicePackage(db.em(), { id: pkg.id, expectedVersion: 2, name: ' ' }, testActor),
      ['service_package'],
    );
    expect(blank.issues.map(i => [i.path, i.message])).toEqual([[['name'], 'must not be empty']]);
    expect((await db.em().findOneOrFail(ServicePackage, pkg.id)).name).toBe('Essential');
  });

  it('refuses to remove a package the grid names, naming the cells; removes it with its elements once none does', async () => {
    const segment = await createSegment(
      db.em(),
      { code: 'SEG-GRID', name: 'Grid', buyerOrientation: 'LOYALTY' },
      testActor,
    );
    const old = await createServicePackage(
      db.em(),
      {
        code: 'PKG-OLD',
        name: 'Old',
        segmentId: segment.id,
        elements: [{ elementId, inclusion: 'INCLUDED' }],
      },
      testActor,
    );
    const next = await createServicePackage(
      db.em(),
      { code: 'PKG-NEW', name: 'New', segmentId: segment.id },
      testActor,
    );
    for (const pyramidLevel of ['KEY', 'ACTIVE_LARGE'] as const) {
      await setGridCell(db.em(), { segmentId: segment.id, pyramidLevel, packageId: old.id }, testActor);
    }
    const inUse = await expectRejected(
      db.em(),
      'SERVICE_PACKAGE_IN_USE',
      () => removeServicePackage(db.em(), { id: old.id, expectedVersion: 1 }, testActor),
      ['service_package', 'package_element', 'grid_cell'],
    );
    expect(inUse.message).toBe(
      'Service package PKG-OLD cannot be removed: the segmentation grid names it in 2 cells, SEG-GRID at ACTIVE_LARGE and SEG-GRID at KEY. Name another package of segment SEG-GRID in those cells (setGridCell), then remove the package.',
    );
    for (const pyramidLevel of ['KEY', 'ACTIVE_LARGE'] as const) {
      await setGridCell(db.em(), { segmentId: segment.id, pyramidLevel, packageId: next.id }, testActor);
    }
    await removeServicePackage(db.em(), { id: old.id, expectedVersion: 1 }, testActor);
    expect(await db.em().count(ServicePackage, { id: old.id })).toBe(0);
    expect(await db.em().count(PackageElement, { servicePackage: old.id })).toBe(0);
    expect(await db.em().count(GridCell, { segment: segment.id, servicePackage: next.id })).toBe(2);
  });
});
