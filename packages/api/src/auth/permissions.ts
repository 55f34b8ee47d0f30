import { Account, TeamMember } from '@kam/domain';
import type { KamContext } from '../context.ts';
import { ForbiddenError } from '../errors.ts';

// Read at each check, not once per request: the mutations of one document run one after the
// other, and one of them may have taken the viewer off the team (removeTeamMember).
async function isOnTeam(ctx: KamContext, accountId: number): Promise<boolean> {
  return (await ctx.em.fork().count(TeamMember, { person: ctx.viewer.personId, account: accountId })) > 0;
}

/** An account named as the user knows it, read apart from the request's identity map (a partial load). */
function readAccount(ctx: KamContext, accountId: number) {
  return ctx.em
    .fork()
    .findOne(Account, accountId, { fields: ['externalRef', 'name', 'parent'], disableIdentityMap: true });
}

/**
 * Account-level write permission: ADMIN everywhere, ACCOUNT_MANAGER only on accounts whose
 * team they are on, nobody else. Throws ForbiddenError (a typed result) otherwise.
 */
export async function assertCanWriteAccount(ctx: KamContext, accountId: number): Promise<void> {
  const { role } = ctx.viewer;
  if (role === 'ADMIN') return;
  if (role === 'ACCOUNT_MANAGER' && (await isOnTeam(ctx, accountId))) return;
  if (role !== 'ACCOUNT_MANAGER') throw new ForbiddenError(`Your role ${role} may not change accounts.`);
  const account = await readAccount(ctx, accountId);
  throw new ForbiddenError(
    `You are not on the team of ${account ? `${account.externalRef} (${account.name})` : 'this account'}; account managers change only the accounts whose team they are on. Ask its key account manager or an administrator to add you.`,
  );
}

/**
 * Moving an account in the hierarchy (after `assertCanWriteAccount` for the account itself):
 * an ACCOUNT_MANAGER must be on the team of the group it joins, since the account then counts in
 * that group's roll-up, and of the group it leaves, whose roll-up it drops out of (`parentId`
 * null detaches it). Keeping the parent it has moves nothing; an account or parent that does not
 * exist passes (the use case then reports NOT_FOUND).
 */
export async function assertCanMoveAccount(
  ctx: KamContext,
  accountId: number,
  parentId: number | null,
): Promise<void> {
  if (ctx.viewer.role === 'ADMIN') return;
  const account = await readAccount(ctx, accountId);
  const leaving = account?.parent?.id ?? null;
  if (!account || leaving === parentId) return;
  if (parentId !== null && !(await isOnTeam(ctx, parentId))) {
    const parent = await readAccount(ctx, parentId);
    if (parent) {
      throw new ForbiddenError(
        `You are not on the team of ${parent.externalRef} (${parent.name}); putting ${account.externalRef} under it would add ${account.externalRef} to its group roll-up, so account managers move accounts only under accounts whose team they are on. Ask its key account manager or an administrator to add you, or an administrator to make the move.`,
      );
    }
    return;
  }
  if (leaving !== null && !(await isOnTeam(ctx, leaving))) {
    const group = await readAccount(ctx, leaving);
    const named = group ? `${group.externalRef} (${group.name})` : 'its group';
    throw new ForbiddenError(
      `You are not on the team of ${named}; taking ${account.externalRef} out of it would remove ${account.externalRef} from its group roll-up, so account managers move accounts out of a group only when they are on its team. Ask its key account manager or an administrator to add you, or an administrator to make the move.`,
    );
  }
}
