import { type KamContext, teamAccountIds } from '../context.ts';
import { ForbiddenError } from '../errors.ts';

/**
 * Account-level write permission: ADMIN everywhere, ACCOUNT_MANAGER only on accounts whose
 * team they are on, nobody else. Throws ForbiddenError (a typed result) otherwise.
 */
export async function assertCanWriteAccount(ctx: KamContext, accountId: number): Promise<void> {
  const { role } = ctx.viewer;
  if (role === 'ADMIN') return;
  if (role === 'ACCOUNT_MANAGER' && (await teamAccountIds(ctx)).has(accountId)) return;
  throw new ForbiddenError(
    role === 'ACCOUNT_MANAGER'
      ? `You are not on the team of account ${accountId}; account managers change only the accounts whose team they are on.`
      : `Your role ${role} may not change accounts.`,
  );
}
