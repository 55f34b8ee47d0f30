import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail } from '../common/lookup.ts';
import { assertVersion, writeAs } from '../common/unit-of-work.ts';
import { emailSchema, nameSchema, optionalText, parseInput, versionSchema } from '../common/validation.ts';
import { BUSINESS_UNIT_KINDS } from '../common/vocabulary.ts';
import { BusinessUnit } from './business-unit.entity.ts';
import { Person } from './person.entity.ts';

const codeSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Z0-9][A-Z0-9_-]{0,39}$/,
    'must be 1–40 upper-case letters, digits, _ or -, like EMEA or SERVICES',
  );

export const createBusinessUnitSchema = z.object({
  code: codeSchema,
  name: nameSchema,
  kind: z.enum(BUSINESS_UNIT_KINDS),
});
export type CreateBusinessUnitInput = z.input<typeof createBusinessUnitSchema>;

export const updateBusinessUnitSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  name: nameSchema.optional(),
  kind: z.enum(BUSINESS_UNIT_KINDS).optional(),
});
export type UpdateBusinessUnitInput = z.input<typeof updateBusinessUnitSchema>;

/** Creates a business unit; its code must be unused. */
export async function createBusinessUnit(em: EntityManager, input: CreateBusinessUnitInput, actor: Actor) {
  const data = parseInput(createBusinessUnitSchema, input, 'business unit');
  return writeAs(em, actor, async tx => {
    if (await tx.count(BusinessUnit, { code: data.code })) {
      throw new DomainError(
        'CODE_TAKEN',
        `A business unit with code ${data.code} already exists; choose another code.`,
        {
          issues: [{ path: ['code'], message: 'already used', code: 'CODE_TAKEN' }],
        },
      );
    }
    return tx.create(BusinessUnit, data);
  });
}

export async function updateBusinessUnit(em: EntityManager, input: UpdateBusinessUnitInput, actor: Actor) {
  const data = parseInput(updateBusinessUnitSchema, input, 'business unit');
  return writeAs(em, actor, async tx => {
    const unit = await findOrFail(tx, BusinessUnit, data.id, 'Business unit');
    assertVersion('BusinessUnit', unit, data.expectedVersion, `Business unit ${unit.code}`);
    if (data.name !== undefined) unit.name = data.name;
    if (data.kind !== undefined) unit.kind = data.kind;
    return unit;
  });
}

export const createPersonSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  title: optionalText(200),
  businessUnitId: z.number().int().positive().nullish(),
});
export type CreatePersonInput = z.input<typeof createPersonSchema>;

export const updatePersonSchema = createPersonSchema.partial().extend({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  active: z.boolean().optional(),
});
export type UpdatePersonInput = z.input<typeof updatePersonSchema>;

/** Adds one of our people. E-mail addresses are unique. */
export async function createPerson(em: EntityManager, input: CreatePersonInput, actor: Actor) {
  const data = parseInput(createPersonSchema, input, 'person');
  return writeAs(em, actor, async tx => {
    const email = data.email.toLowerCase();
    if (await tx.count(Person, { email })) {
      throw new DomainError('CODE_TAKEN', `A person with e-mail ${email} already exists.`, {
        issues: [{ path: ['email'], message: 'already used', code: 'CODE_TAKEN' }],
      });
    }
    const businessUnit = data.businessUnitId
      ? await findOrFail(tx, BusinessUnit, data.businessUnitId, 'Business unit')
      : null;
    return tx.create(Person, {
      name: data.name,
      email,
      title: data.title ?? null,
      businessUnit,
      active: true,
    });
  });
}

export async function updatePerson(em: EntityManager, input: UpdatePersonInput, actor: Actor) {
  const data = parseInput(updatePersonSchema, input, 'person');
  return writeAs(em, actor, async tx => {
    const person = await findOrFail(tx, Person, data.id, 'Person');
    assertVersion('Person', person, data.expectedVersion, `${person.name} (${person.email})`);
    if (data.name !== undefined) person.name = data.name;
    if (data.email !== undefined) {
      const email = data.email.toLowerCase();
      if (email !== person.email && (await tx.count(Person, { email }))) {
        throw new DomainError('CODE_TAKEN', `A person with e-mail ${email} already exists.`);
      }
      person.email = email;
    }
    if (data.title !== undefined) person.title = data.title ?? null;
    if (data.businessUnitId !== undefined) {
      person.businessUnit = data.businessUnitId
        ? await findOrFail(tx, BusinessUnit, data.businessUnitId, 'Business unit')
        : null;
    }
    if (data.active !== undefined) person.active = data.active;
    return person;
  });
}
