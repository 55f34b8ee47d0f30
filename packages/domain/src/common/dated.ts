import { z } from 'zod';
import { DomainError } from './domain-error.ts';
import { today } from './lookup.ts';
import { isoDateSchema, ruleIssue } from './validation.ts';

/** Why `day` cannot be `field`'s value when it is after today (`now`). */
function futureDayMessage(field: string, day: string, now: string, recorded: string): string {
  return `${field} (${day}) is after today (${now}): ${recorded}. Date it today or earlier.`;
}

/**
 * A step that records what has happened (a designation, its review and its revocation, a
 * programme's checklist item done, a signal, a survey response, a last contact) is not dated
 * after today: a later day is DATE_IN_FUTURE at `field`. The live reads (`isKeyAccount`, the
 * current designation, whether a stage's checklist is done) and the analytics as of today then
 * agree. `recorded` says why, for the message.
 */
export function assertNotAfterToday(field: string, day: string, recorded: string): void {
  const now = today();
  if (day > now) {
    throw new DomainError('DATE_IN_FUTURE', futureDayMessage(field, day, now, recorded), {
      issues: [{ path: [field], message: `after today (${now})`, code: 'DATE_IN_FUTURE' }],
      details: { latest: now },
    });
  }
}

/**
 * The date of a bulk row that records what has happened (`assertNotAfterToday`'s rule as a
 * schema): a day after today is DATE_IN_FUTURE at the field, with the same message. Judged only
 * once the text is a date: "2099-13-40" is malformed, not also after today.
 */
export function happenedOn(field: string, recorded: string) {
  return isoDateSchema.pipe(
    z.string().superRefine((day, ctx) => {
      const now = today();
      if (day > now)
        ctx.addIssue(ruleIssue('DATE_IN_FUTURE', [], futureDayMessage(field, day, now, recorded)));
    }),
  );
}
