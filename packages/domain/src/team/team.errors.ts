import type { EntityManager } from '@mikro-orm/core';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail } from '../common/lookup.ts';
import { Person } from '../organisation/person.entity.ts';

/**
 * Why a person who is no longer active cannot take a role on a team or be named a contact's
 * counterpart (they would count as the lead, the sponsor or coverage): PERSON_INACTIVE, a
 * validation error at the field `path`, as a token for such a person is refused.
 */
export function personInactive(
  name: string,
  path: string,
  as: string,
  fix = 'Choose an active person',
): DomainError {
  return new DomainError(
    'PERSON_INACTIVE',
    `${name} is no longer active and cannot be ${as}. ${fix}, or make ${name} active again first (updatePerson).`,
    { issues: [{ path: [path], message: 'not an active person', code: 'PERSON_INACTIVE' }] },
  );
}

/**
 * The person named at `path` (a team member, a contact's counterpart, a plan's or an action's
 * owner, who submits or reviews a plan, the change leader), by id: an active person
 * (PERSON_INACTIVE at `path`: someone who has left answers for nothing, the message ending with
 * `fix`), or none when no id.
 */
export async function activePerson(
  em: EntityManager,
  id: number,
  path: string,
  as: string,
  fix?: string,
): Promise<Person>;
export async function activePerson(
  em: EntityManager,
  id: number | null | undefined,
  path: string,
  as: string,
  fix?: string,
): Promise<Person | null>;
export async function activePerson(
  em: EntityManager,
  id: number | null | undefined,
  path: string,
  as: string,
  fix?: string,
): Promise<Person | null> {
  if (!id) return null;
  const person = await findOrFail(em, Person, id, 'Person');
  if (!person.active) throw personInactive(person.name, path, as, fix);
  return person;
}
