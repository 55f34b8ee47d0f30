import type { EntityManager } from '@mikro-orm/core';
import { DomainError } from '../common/domain-error.ts';
import { lockOnPostgreSql } from '../common/lookup.ts';
import { Account } from './account.entity.ts';

/** Roll-ups read at least five levels deep; the hierarchy may not go deeper than this. */
export const MAX_HIERARCHY_DEPTH = 10;

/**
 * The ids of an account's ancestors, nearest first, read with a recursive query.
 * Stops at MAX_HIERARCHY_DEPTH + 1 so that a corrupt cycle cannot loop forever.
 */
export async function ancestorIds(em: EntityManager, accountId: number): Promise<number[]> {
  const rows = await em.getConnection().execute<{ id: number; depth: number }[]>(
    `with recursive up(id, depth) as (
       select parent_id, 1 from account where id = ? and parent_id is not null
       union all
       select a.parent_id, up.depth + 1 from account a join up on a.id = up.id
        where a.parent_id is not null and up.depth <= ?
     )
     select id, depth from up order by depth`,
    [accountId, MAX_HIERARCHY_DEPTH + 1],
    'all',
    em.getTransactionContext(),
  );
  return rows.map((r: { id: number }) => Number(r.id));
}

/** The height of the subtree below an account (0 for a leaf). */
export async function subtreeHeight(em: EntityManager, accountId: number): Promise<number> {
  const rows = await em.getConnection().execute<{ height: number | string | null }[]>(
    `with recursive down(id, depth) as (
       select id, 0 from account where id = ?
       union all
       select a.id, down.depth + 1 from account a join down on a.parent_id = down.id where down.depth <= ?
     )
     select max(depth) as height from down`,
    [accountId, MAX_HIERARCHY_DEPTH + 1],
    'all',
    em.getTransactionContext(),
  );
  return Number(rows[0]?.height ?? 0);
}

/**
 * Serialises changes to the hierarchy until the transaction ends (PostgreSQL; SQLite writes one
 * transaction at a time). Without it two moves checked at once (A under B, B under A) would each
 * read the other's old parent, pass, and commit a cycle. Call it before reading any ancestors.
 */
export async function lockHierarchy(em: EntityManager): Promise<void> {
  await lockOnPostgreSql(em, `select pg_advisory_xact_lock(hashtext('kam:account-hierarchy'))`);
}

/**
 * Checks that `accountId` may take `parentId` as its parent: an account is never its own
 * ancestor, and the hierarchy stays within MAX_HIERARCHY_DEPTH levels.
 */
export async function assertValidParent(
  em: EntityManager,
  accountId: number | null,
  parentId: number,
): Promise<void> {
  await lockHierarchy(em);
  if (accountId !== null && parentId === accountId) {
    throw cycleError(accountId, parentId, await refsOf(em, [accountId, parentId]));
  }
  const ancestors = await ancestorIds(em, parentId);
  if (accountId !== null && ancestors.includes(accountId)) {
    throw cycleError(accountId, parentId, await refsOf(em, [accountId, parentId]));
  }
  const height = accountId === null ? 0 : await subtreeHeight(em, accountId);
  // levels: the parent's ancestors + the parent + this account + its subtree
  const levels = ancestors.length + 2 + height;
  if (levels > MAX_HIERARCHY_DEPTH) {
    const [account, parent] = await refsOf(em, [accountId, parentId]);
    throw new DomainError(
      'ACCOUNT_HIERARCHY_TOO_DEEP',
      `Attaching ${accountId === null ? 'the new account' : account} under ${parent} would make the hierarchy ${levels} levels deep; the limit is ${MAX_HIERARCHY_DEPTH}. Attach it higher up.`,
      { issues: [{ path: ['parentId'], message: 'hierarchy too deep', code: 'ACCOUNT_HIERARCHY_TOO_DEEP' }] },
    );
  }
}

/** The external refs of accounts by id, in the order given ("(new)" for null), for messages. */
async function refsOf(em: EntityManager, ids: (number | null)[]): Promise<string[]> {
  const known = ids.filter((id): id is number => id !== null);
  const accounts = await em.find(Account, { id: { $in: known } }, { fields: ['externalRef'] });
  const refs = new Map(accounts.map(a => [a.id, a.externalRef]));
  return ids.map(id => (id === null ? '(new)' : (refs.get(id) ?? `account ${id}`)));
}

function cycleError(accountId: number, parentId: number, [account, parent]: string[]): DomainError {
  return new DomainError(
    'ACCOUNT_HIERARCHY_CYCLE',
    `${account} cannot have ${parent} as its parent: an account can never be its own ancestor. Choose a parent outside its own group.`,
    {
      issues: [
        {
          path: ['parentId'],
          message: 'would make the account its own ancestor',
          code: 'ACCOUNT_HIERARCHY_CYCLE',
        },
      ],
      details: { accountId, parentId },
    },
  );
}
