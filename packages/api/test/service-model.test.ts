/**
 * The service model through HTTP (domain §3): an administrator adds, renames, moves and removes
 * service elements and renames and removes service packages; what is in use is refused with a
 * message that names it. Validation in this area speaks kam's words and states its limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';
import { mutate, ok } from './workflow-client.ts';

let api: ApiHarness;
let admin: string;

interface Element {
  id: string;
  code: string;
  name: string;
  position: number;
  version: number;
}

beforeAll(async () => {
  api = await startApi();
  admin = (await api.token('ADMIN')).secret;
});
afterAll(async () => {
  await api.close();
});

async function elements(): Promise<Element[]> {
  const res = await api.gql<{ serviceElements: Element[] }>(
    '{ serviceElements { id code name position version } }',
    {},
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data?.serviceElements ?? [];
}

/** The field errors of a mutation that must answer ValidationError, with their messages. */
async function fieldErrors(name: string, inputType: string, input: Record<string, unknown>) {
  const res = await api.gql<Record<string, { __typename: string; fieldErrors?: unknown[] }>>(
    `mutation($input: ${inputType}!) { ${name}(input: $input) {
      __typename ... on ValidationError { fieldErrors { path message } }
    } }`,
    { input },
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.[name]?.__typename).toBe('ValidationError');
  return res.body.data?.[name]?.fieldErrors;
}

describe('service elements are configurable by an administrator', () => {
  it('adds, renames, moves and removes elements; the positions stay 1..n', async () => {
    const defaults = await elements();
    expect(defaults.map(e => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const portal = await ok<Element>(
      api,
      admin,
      'createServiceElement',
      'CreateServiceElementInput',
      { code: 'DIGITAL_PORTAL', name: 'Digital portal', position: 2 },
      'id code name position version',
    );
    expect(portal.position).toBe(2);
    let now = await elements();
    expect(now.map(e => e.code)).toEqual([
      defaults[0]?.code,
      'DIGITAL_PORTAL',
      ...defaults.slice(1).map(e => e.code),
    ]);
    expect(now.map(e => e.position)).toEqual(now.map((_, i) => i + 1));

    const moved = await ok<Element>(
      api,
      admin,
      'updateServiceElement',
      'UpdateServiceElementInput',
      { id: portal.id, expectedVersion: 1, name: 'Customer portal', position: 11 },
      'id code name position version',
    );
    expect(moved).toMatchObject({
      code: 'DIGITAL_PORTAL',
      name: 'Customer portal',
      position: 11,
      version: 2,
    });
    now = await elements();
    expect(now.map(e => e.code)).toEqual([...defaults.map(e => e.code), 'DIGITAL_PORTAL']);

    const stale = await mutate(api, admin, 'updateServiceElement', 'UpdateServiceElementInput', {
      id: portal.id,
      expectedVersion: 1,
      name: 'Stale',
    });
    expect(stale).toMatchObject({ __typename: 'ConflictError', code: 'VERSION_CONFLICT', currentVersion: 2 });

    const removed = await ok<{ removedId: string }>(
      api,
      admin,
      'removeServiceElement',
      'RemoveServiceElementInput',
      { id: portal.id, expectedVersion: 2 },
      'removedId',
    );
    expect(removed.removedId).toBe(portal.id);
    expect((await elements()).map(e => e.code)).toEqual(defaults.map(e => e.code));
  });

  it('refuses to remove an element a package offers, naming the package, and removes it once none does', async () => {
    const segment = await ok<{ id: string }>(
      api,
      admin,
      'createSegment',
      'CreateSegmentInput',
      { code: 'LOYAL', name: 'Loyal buyers', buyerOrientation: 'LOYALTY' },
      'id',
    );
    const hotline = await ok<Element>(
      api,
      admin,
      'createServiceElement',
      'CreateServiceElementInput',
      { code: 'HOTLINE', name: 'Hotline' },
      'id code name position version',
    );
    const gold = await ok<{ id: string }>(
      api,
      admin,
      'createServicePackage',
      'CreateServicePackageInput',
      {
        code: 'GOLD',
        name: 'Gold',
        segmentId: segment.id,
        elements: [{ elementId: hotline.id, inclusion: 'INCLUDED' }],
      },
      'id',
    );
    await ok(api, admin, 'setElementImportance', 'SetElementImportanceInput', {
      segmentId: segment.id,
      elementId: hotline.id,
      importance: 5,
    });
    const inUse = await mutate(api, admin, 'removeServiceElement', 'RemoveServiceElementInput', {
      id: hotline.id,
      expectedVersion: 1,
    });
    expect(inUse).toMatchObject({
      __typename: 'DomainRuleError',
      code: 'SERVICE_ELEMENT_IN_USE',
      message:
        'Service element HOTLINE cannot be removed: service package GOLD (INCLUDED) offers it. Set its inclusion to NOT_OFFERED in that package (setPackageElement), or remove it, then remove the element.',
    });

    await ok(api, admin, 'setPackageElement', 'SetPackageElementInput', {
      packageId: gold.id,
      elementId: hotline.id,
      inclusion: 'NOT_OFFERED',
    });
    await ok(api, admin, 'removeServiceElement', 'RemoveServiceElementInput', {
      id: hotline.id,
      expectedVersion: 1,
    });
    const read = await api.gql<{
      servicePackages: { code: string; elements: unknown[] }[];
      segments: { code: string; elementImportance: unknown[] }[];
    }>(
      '{ servicePackages { code elements { inclusion } } segments { code elementImportance { importance } } }',
      {},
      admin,
    );
    expect(read.body.data?.servicePackages.find(p => p.code === 'GOLD')?.elements).toEqual([]);
    expect(read.body.data?.segments.find(s => s.code === 'LOYAL')?.elementImportance).toEqual([]);
  });
});

describe('service packages can be renamed and removed', () => {
  it('renames a package, and refuses to remove it while the grid names it', async () => {
    const segment = await ok<{ id: string }>(
      api,
      admin,
      'createSegment',
      'CreateSegmentInput',
      { code: 'PRICE', name: 'Price buyers', buyerOrientation: 'PRICE' },
      'id',
    );
    const basic = await ok<{ id: string; version: number }>(
      api,
      admin,
      'createServicePackage',
      'CreateServicePackageInput',
      { code: 'BASIC', name: 'Basic', segmentId: segment.id, description: 'The minimum' },
      'id version',
    );
    expect(basic.version).toBe(1);
    const lean = await ok<{ id: string }>(
      api,
      admin,
      'createServicePackage',
      'CreateServicePackageInput',
      { code: 'LEAN', name: 'Lean', segmentId: segment.id },
      'id',
    );
    const renamed = await ok<{ code: string; name: string; description: string | null; version: number }>(
      api,
      admin,
      'updateServicePackage',
      'UpdateServicePackageInput',
      { id: basic.id, expectedVersion: 1, name: 'Essential', description: 'Delivery and invoicing' },
      'code name description version',
    );
    expect(renamed).toEqual({
      code: 'BASIC',
      name: 'Essential',
      description: 'Delivery and invoicing',
      version: 2,
    });
    const cleared = await mutate(api, admin, 'updateServicePackage', 'UpdateServicePackageInput', {
      id: basic.id,
      expectedVersion: 2,
      name: null,
    });
    expect(cleared).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['name'] }] });

    await ok(api, admin, 'setGridCell', 'SetGridCellInput', {
      segmentId: segment.id,
      pyramidLevel: 'ACTIVE_SMALL',
      packageId: basic.id,
    });
    const inUse = await mutate(api, admin, 'removeServicePackage', 'RemoveServicePackageInput', {
      id: basic.id,
      expectedVersion: 2,
    });
    expect(inUse).toMatchObject({
      __typename: 'DomainRuleError',
      code: 'SERVICE_PACKAGE_IN_USE',
      message:
        'Service package BASIC cannot be removed: the segmentation grid names it in 1 cell, PRICE at ACTIVE_SMALL. Name another package of segment PRICE in that cell (setGridCell), then remove the package.',
    });

    await ok(api, admin, 'setGridCell', 'SetGridCellInput', {
      segmentId: segment.id,
      pyramidLevel: 'ACTIVE_SMALL',
      packageId: lean.id,
    });
    await ok(api, admin, 'removeServicePackage', 'RemoveServicePackageInput', {
      id: basic.id,
      expectedVersion: 2,
    });
    const read = await api.gql<{ servicePackages: { code: string }[] }>(
      '{ servicePackages { code } }',
      {},
      admin,
    );
    expect(read.body.data?.servicePackages.map(p => p.code)).not.toContain('BASIC');
  });
});

describe('validation in the service model says what is wrong in kam’s words', () => {
  it('names the 40-character limit of a code, the bounds of a service standard and of a package', async () => {
    const long = 'A'.repeat(41);
    expect(
      await fieldErrors('createSegment', 'CreateSegmentInput', {
        code: long,
        name: 'x',
        buyerOrientation: 'PRICE',
      }),
    ).toEqual([{ path: ['code'], message: 'must be at most 40 characters' }]);
    expect(
      await fieldErrors('createServiceElement', 'CreateServiceElementInput', { code: long, name: 'x' }),
    ).toEqual([{ path: ['code'], message: 'must be at most 40 characters' }]);

    const standards = await api.gql<{ serviceStandards: { pyramidLevel: string; version: number }[] }>(
      '{ serviceStandards { pyramidLevel version } }',
      {},
      admin,
    );
    const key = standards.body.data?.serviceStandards.find(s => s.pyramidLevel === 'KEY');
    for (const [text, message] of [
      ['   ', 'must not be empty'],
      ['x'.repeat(2001), 'must be at most 2,000 characters'],
    ] as const) {
      expect(
        await fieldErrors('updateServiceStandard', 'UpdateServiceStandardInput', {
          pyramidLevel: 'KEY',
          text,
          expectedVersion: key?.version,
        }),
      ).toEqual([{ path: ['text'], message }]);
    }

    const segment = await ok<{ id: string }>(
      api,
      admin,
      'createSegment',
      'CreateSegmentInput',
      { code: 'MANY', name: 'Many', buyerOrientation: 'PRICE' },
      'id',
    );
    const [element] = await elements();
    const many = Array.from({ length: 101 }, () => ({ elementId: element?.id, inclusion: 'INCLUDED' }));
    const errors = (await fieldErrors('createServicePackage', 'CreateServicePackageInput', {
      code: 'MANY',
      name: 'Many',
      segmentId: segment.id,
      elements: many,
    })) as { path: string[]; message: string }[];
    expect(errors[0]).toEqual({ path: ['elements'], message: 'must list at most 100 elements' });
  });

  it('states the limits in the input descriptions', async () => {
    const res = await api.gql<{
      __schema: { types: { name: string; inputFields: { name: string; description: string }[] | null }[] };
    }>('{ __schema { types { name inputFields { name description } } } }', {}, admin);
    const described = (type: string, field: string) =>
      res.body.data?.__schema.types.find(t => t.name === type)?.inputFields?.find(f => f.name === field)
        ?.description ?? '';
    for (const type of ['CreateSegmentInput', 'CreateServicePackageInput', 'CreateServiceElementInput']) {
      expect(described(type, 'code'), type).toContain('at most 40 characters');
    }
    expect(described('CreateServicePackageInput', 'elements')).toContain('at most 100');
    expect(described('UpdateServiceStandardInput', 'text')).toContain('2,000 characters');
    expect(described('UpdateServiceElementInput', 'position')).toContain('1');
  });
});
