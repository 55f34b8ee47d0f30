import { type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, Kind, parse } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { endRequestCaches, type KamContext, requestCache } from '../src/context.ts';
import { nodeFieldNames, requestLoader } from '../src/schema/loaders.ts';

/** The resolve info of the document's first root field, as far as nodeFieldNames reads it. */
function infoOf(document: string): GraphQLResolveInfo {
  const parsed = parse(document);
  const operation = parsed.definitions.find(d => d.kind === Kind.OPERATION_DEFINITION);
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
  const fragments = Object.fromEntries(
    parsed.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map(d => [d.name.value, d]),
  );
  const root = operation.selectionSet.selections[0] as FieldNode;
  return { fieldNodes: [root], fragments } as unknown as GraphQLResolveInfo;
}

describe('nodeFieldNames (what a connection query selects on its nodes)', () => {
  it('reads fields, aliases, inline fragments and fragment spreads, at any nesting', () => {
    const info = infoOf(`
      { accounts(first: 5) { pageInfo { endCursor } edges { cursor ...E } } }
      fragment E on QueryAccountsConnectionEdge { node { name crew: team { role } ... on Account { ...M } } }
      fragment M on Account { health { score } ... on Account { latestPlan { status } } }`);
    expect([...nodeFieldNames(info)].sort()).toEqual(['health', 'latestPlan', 'name', 'team']);
  });

  it('is empty when the query selects no nodes', () => {
    expect(nodeFieldNames(infoOf('{ accounts(first: 5) { pageInfo { hasNextPage } } }')).size).toBe(0);
  });
});

describe('requestLoader', () => {
  const ctx = () => ({ cache: new Map() }) as unknown as KamContext;
  /** A loader of twice each key, with the batches it was called with. */
  const doubling = () => {
    const calls: number[][] = [];
    const double = requestLoader(async (keys: number[]) => {
      calls.push(keys);
      return keys.map(k => k * 2);
    });
    return { calls, double };
  };

  it('batches the keys of one request, then answers loaded keys at once', async () => {
    const { calls, double } = doubling();
    const request = ctx();
    const pending = [double.resolve(request, 1), double.resolve(request, 2)];
    expect(pending.every(p => p instanceof Promise)).toBe(true);
    expect(await Promise.all(pending)).toEqual([2, 4]);
    expect(double.resolve(request, 2)).toBe(4); // a plain value now
    await double.prefetch(request, [2, 3, 3, 4]);
    expect(calls).toEqual([
      [1, 2],
      [3, 4], // only what was not loaded yet, once each
    ]);
    expect(double.resolve(request, 4)).toBe(8);
    // Another request starts empty.
    expect(double.resolve(ctx(), 4)).toBeInstanceOf(Promise);
  });

  it('answers primed keys at once, and never replaces a loaded value by a primed one', async () => {
    const { calls, double } = doubling();
    const request = ctx();
    await double.prefetch(request, [1]);
    double.prime(request, [
      [1, 99],
      [5, 10],
      [6, 0],
    ]);
    expect(double.resolve(request, 1)).toBe(2);
    expect(double.resolve(request, 5)).toBe(10);
    expect(double.resolve(request, 6)).toBe(0);
    await double.prefetch(request, [5, 6, 7]);
    expect(calls).toEqual([[1], [7]]);
    expect(double.resolve(ctx(), 5)).toBeInstanceOf(Promise); // primed for that request only
  });

  it('keeps null answers as answers', async () => {
    const none = requestLoader(async (keys: number[]) => keys.map(() => null));
    const request = ctx();
    await none.prefetch(request, [7]);
    expect(none.resolve(request, 7)).toBeNull();
  });
});

describe('endRequestCaches (when the operation has run)', () => {
  it('empties the request caches and the EntityManager, so nothing the request loaded stays reachable', async () => {
    const calls: number[][] = [];
    const double = requestLoader(async (keys: number[]) => {
      calls.push(keys);
      return keys.map(k => k * 2);
    });
    const created = vi.fn(() => ({ big: 'a request-scoped value' }));
    const scoped = requestCache(created);
    const clear = vi.fn();
    const request = { cache: new Map(), em: { clear } } as unknown as KamContext;
    await double.prefetch(request, [1, 2]);
    expect(scoped(request)).toBe(scoped(request));
    expect(request.cache.size).toBe(2);

    endRequestCaches(request);
    expect(request.cache.size).toBe(0);
    expect(clear).toHaveBeenCalledOnce();
    // Used again (it is not, once execution is done), everything would be loaded afresh.
    expect(double.resolve(request, 1)).toBeInstanceOf(Promise);
    scoped(request);
    expect(created).toHaveBeenCalledTimes(2);
    expect(calls).toEqual([[1, 2]]);
  });
});
