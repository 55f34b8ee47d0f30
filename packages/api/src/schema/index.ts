import { builder } from '../builder.ts';
import './scalars.ts';
import './errors.ts';
import './types/organisation.ts';
import './types/team.ts';
import './types/account.ts';
import './types/bulk.ts';
import './types/snapshot.ts';

builder.queryType({ description: 'Everything kam knows, read through one endpoint.' });
builder.mutationType({
  description: 'Every workflow of Key Account Management, and the bulk paths for scripts.',
});

export const schema = builder.toSchema({ sortSchema: true });
