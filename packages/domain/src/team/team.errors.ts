import { DomainError } from '../common/domain-error.ts';

/**
 * Why a person who is no longer active cannot take a role on a team or be named a contact's
 * counterpart (they would count as the lead, the sponsor or coverage): PERSON_INACTIVE, a
 * validation error at the field `path`, as a token for such a person is refused.
 */
export function personInactive(name: string, path: string, as: string): DomainError {
  return new DomainError(
    'PERSON_INACTIVE',
    `${name} is no longer active and cannot be ${as}. Choose an active person, or make ${name} active again first (updatePerson).`,
    { issues: [{ path: [path], message: 'not an active person', code: 'PERSON_INACTIVE' }] },
  );
}
