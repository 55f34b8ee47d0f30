/**
 * GroupRollup.plans counts the plans in force on the quarter's last day (docs/analytics.md,
 * "Group roll-ups"); its description, as a client reads it through introspection, says so.
 */
import { describe, expect, it } from 'vitest';
import { type ApiHarness, startApiForFile } from './harness.ts';

let api: ApiHarness;
let token: string;
startApiForFile((a, t) => {
  api = a;
  token = t;
});

describe('GroupRollup.plans', () => {
  it('is described as the plans in force on the quarter’s last day, not the plans of its year', async () => {
    const res = await api.gql<{ __type: { fields: { name: string; description: string }[] } }>(
      '{ __type(name: "GroupRollup") { fields { name description } } }',
      {},
      token,
    );
    const plans = res.body.data?.__type.fields.find(f => f.name === 'plans');
    expect(plans?.description).toMatch(/in force on the quarter’s last day/);
    expect(plans?.description).not.toMatch(/year/);
  });
});
