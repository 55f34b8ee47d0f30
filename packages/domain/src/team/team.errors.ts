import { DomainError } from '../common/domain-error.ts';

/**
 * Why a person who is no longer active cannot take a role on a team or be a contact's
 * counterpart (they would count as the lead, the sponsor or coverage): a ValidationError whose
 * field `path` carries PERSON_INACTIVE, the code a token for such a person is refused with.
 */
export function personInactive(name: string, path: string, as: string): DomainError {
  return new DomainError(
    'VALIDATION_FAILED',
    `${name} is no longer active and cannot be ${as}. Choose an active person, or make ${name} active again first (updatePerson).`,
    { issues: [{ path: [path], message: 'not an active person', code: 'PERSON_INACTIVE' }] },
  );
}
