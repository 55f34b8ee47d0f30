import type { EntityManager } from '@mikro-orm/core';
import type { Account } from '../accounts/account.entity.ts';
import { createAccount } from '../accounts/account.service.ts';
import { type Actor, systemActor } from '../common/actor.ts';
import type { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { createBusinessUnit, createPerson } from '../organisation/organisation.service.ts';
import type { Person } from '../organisation/person.entity.ts';

/** The actor tests write as. */
export const testActor: Actor = systemActor('test');

let counter = 0;
function next(): number {
  counter += 1;
  return counter;
}

export async function makeBusinessUnit(
  em: EntityManager,
  overrides: { code?: string; name?: string; kind?: 'GEOGRAPHY' | 'OFFERING' | 'INDUSTRY' } = {},
): Promise<BusinessUnit> {
  const n = next();
  return createBusinessUnit(
    em,
    {
      code: overrides.code ?? `BU${n}`,
      name: overrides.name ?? `Business unit ${n}`,
      kind: overrides.kind ?? 'OFFERING',
    },
    testActor,
  );
}

export async function makePerson(
  em: EntityManager,
  overrides: { name?: string; email?: string; businessUnitId?: number | null } = {},
): Promise<Person> {
  const n = next();
  return createPerson(
    em,
    {
      name: overrides.name ?? `Person ${n}`,
      email: overrides.email ?? `person${n}@example.test`,
      businessUnitId: overrides.businessUnitId ?? null,
    },
    testActor,
  );
}

export async function makeAccount(
  em: EntityManager,
  overrides: {
    externalRef?: string;
    name?: string;
    parentId?: number | null;
    customerSince?: string | null;
  } = {},
): Promise<Account> {
  const n = next();
  return createAccount(
    em,
    {
      externalRef: overrides.externalRef ?? `ACC-${n}`,
      name: overrides.name ?? `Account ${n}`,
      parentId: overrides.parentId ?? null,
      customerSince: overrides.customerSince ?? null,
    },
    testActor,
  );
}
