import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_STANDARDS } from '../settings/reference-data.ts';
import { createTestDatabase, expectRejected, type TestDatabase, testActor } from '../testing/index.ts';
import { Segment } from './segment.entity.ts';
import {
  createSegment,
  createServicePackage,
  setElementImportance,
  setGridCell,
  updateSegment,
  updateServiceStandard,
} from './segment.service.ts';
import {
  ElementImportance,
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
