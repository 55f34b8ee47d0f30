import { Account, ancestorIds, TeamMember } from '@kam/domain';
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
 * team they are on, nobody else. Throws ForbiddenError (a typed result) otherwise; an account
 * that does not exist passes, for the use case to answer NOT_FOUND.
 */
export async function assertCanWriteAccount(ctx: KamContext, accountId: number): Promise<void> {
  const { role } = ctx.viewer;
  if (role === 'ADMIN') return;
  if (role === 'ACCOUNT_MANAGER' && (await isOnTeam(ctx, accountId))) return;
  if (role !== 'ACCOUNT_MANAGER') throw new ForbiddenError(`Your role ${role} may not change accounts.`);
  const account = await readAccount(ctx, accountId);
  // An account that does not exist passes: the use case then answers NOT_FOUND, as it answers an
  // administrator, rather than "you are not on its team".
  if (!account) return;
  throw new ForbiddenError(
    `You are not on the team of ${account.externalRef} (${account.name}); account managers change only the accounts whose team they are on. Ask its key account manager or an administrator to add you.`,
  );
}

/** The ids among `accountIds` of the accounts whose team the viewer is on, read in one query. */
async function teamsOf(ctx: KamContext, accountIds: number[]): Promise<Set<number>> {
  if (accountIds.length === 0) return new Set();
  const memberships = await ctx.em
    .fork()
    .find(TeamMember, { person: ctx.viewer.personId, account: { $in: accountIds } }, { fields: ['account'] });
  return new Set(memberships.map(m => m.account.id));
}

/**
 * Moving an account in the hierarchy (after `assertCanWriteAccount` for the account itself):
 * a group roll-up is the group and all its descendants, so the account leaves the roll-up of every
 * group above it and joins that of every group above its new place (`parentId` null detaches it),
 * up to the nearest group above both, whose roll-up (and those above it) keeps the account. An
 * ACCOUNT_MANAGER must be on the team of each group it joins or leaves; the nearest one they are
 * not on is named. Keeping the parent it has moves nothing; an account or parent that does not
 * exist, or a parent below the account itself, passes (the use case then reports NOT_FOUND or
 * ACCOUNT_HIERARCHY_CYCLE).
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
  // One recursive query per side, nearest group first.
  const em = ctx.em.fork();
  const above = leaving === null ? [] : await ancestorIds(em, accountId);
  const below = parentId === null ? [] : [parentId, ...(await ancestorIds(em, parentId))];
  if (below.includes(accountId)) return;
  const kept = above.find(id => below.includes(id));
  const until = (chain: number[]) => (kept === undefined ? chain : chain.slice(0, chain.indexOf(kept)));
  const [leaves, joins] = [until(above), until(below)];
  const teams = await teamsOf(ctx, [...joins, ...leaves]);
  const joined = joins.find(id => !teams.has(id));
  const left = leaves.find(id => !teams.has(id));
  const outside = joined ?? left;
  if (outside === undefined) return;
  // The group they are not on, and the parent through which the account joins or leaves it.
  const group = await readAccount(ctx, outside);
  const through = joined === undefined ? leaving : parentId;
  const parent = through === null ? null : await readAccount(ctx, through);
  if (!group || !parent) return;
  const [ref, named] = [account.externalRef, `${group.externalRef} (${group.name})`];
  const rest =
    'Ask its key account manager or an administrator to add you, or an administrator to make the move.';
  const everyGroup = `so account managers move accounts only when they are on the team of every group whose roll-up the account joins or leaves. ${rest}`;
  if (joined === undefined) {
    throw new ForbiddenError(
      outside === leaving
        ? `You are not on the team of ${named}; taking ${ref} out of it would remove ${ref} from its group roll-up, so account managers move accounts out of a group only when they are on its team. ${rest}`
        : `You are not on the team of ${named}; taking ${ref} out of ${parent.externalRef} would also remove ${ref} from the group roll-up of ${group.externalRef}, above ${parent.externalRef}, ${everyGroup}`,
    );
  }
  throw new ForbiddenError(
    outside === parentId
      ? `You are not on the team of ${named}; putting ${ref} under it would add ${ref} to its group roll-up, so account managers move accounts only under accounts whose team they are on. ${rest}`
      : `You are not on the team of ${named}; putting ${ref} under ${parent.externalRef} would also add ${ref} to the group roll-up of ${group.externalRef}, above ${parent.externalRef}, ${everyGroup}`,
  );
}
