import { DomainError } from './domain-error.ts';
import { today } from './lookup.ts';

/**
 * A step that records what has happened (a designation, its review and its revocation, a
 * programme's checklist item done) is not dated after today: a later day is DATE_IN_FUTURE at
 * `field`. The live reads (`isKeyAccount`, the current designation, whether a stage's checklist
 * is done) and the analytics as of today then agree. `recorded` says why, for the message.
 */
export function assertNotAfterToday(field: string, day: string, recorded: string): void {
  const now = today();
  if (day > now) {
    throw new DomainError(
      'DATE_IN_FUTURE',
      `${field} (${day}) is after today (${now}): ${recorded}. Date it today or earlier.`,
      {
        issues: [{ path: [field], message: `after today (${now})`, code: 'DATE_IN_FUTURE' }],
        details: { latest: now },
      },
    );
  }
}
