import { Account, TeamMember } from '@kam/domain';
import type { KamContext } from '../context.ts';
import { ForbiddenError } from '../errors.ts';

/**
 * Account-level write permission: ADMIN everywhere, ACCOUNT_MANAGER only on accounts whose
 * team they are on, nobody else. Throws ForbiddenError (a typed result) otherwise.
 */
export async function assertCanWriteAccount(ctx: KamContext, accountId: number): Promise<void> {
  const { role } = ctx.viewer;
  if (role === 'ADMIN') return;
  // Read at each check, not once per request: the mutations of one document run one after the
  // other, and one of them may have taken the viewer off the team (removeTeamMember).
  if (
    role === 'ACCOUNT_MANAGER' &&
    (await ctx.em.fork().count(TeamMember, { person: ctx.viewer.personId, account: accountId })) > 0
  ) {
    return;
  }
  if (role !== 'ACCOUNT_MANAGER') throw new ForbiddenError(`Your role ${role} may not change accounts.`);
  // Named as the user knows it; read apart from the request's identity map (a partial load).
  const account = await ctx.em
    .fork()
    .findOne(Account, accountId, { fields: ['externalRef', 'name'], disableIdentityMap: true });
  throw new ForbiddenError(
    `You are not on the team of ${account ? `${account.externalRef} (${account.name})` : 'this account'}; account managers change only the accounts whose team they are on. Ask its key account manager or an administrator to add you.`,
  );
}
