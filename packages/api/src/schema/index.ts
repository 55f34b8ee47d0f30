import { builder } from '../builder.ts';
import './scalars.ts';
import './errors.ts';
import './types/organisation.ts';
import './types/team.ts';
import './types/account.ts';
import './types/bulk.ts';
import './types/vocabulary.ts';
import './types/selection.ts';
import './types/journey.ts';
import './types/contacts.ts';
import './types/plans.ts';
import './types/opportunities.ts';
import './types/value.ts';
import './types/signals.ts';
import './types/segments.ts';
import './types/kpis.ts';
import './types/programme.ts';
import './types/settings.ts';
import './types/tokens.ts';
import './types/financials.ts';
import './types/snapshot.ts';
import './types/analytics.ts';
import './types/audit.ts';

builder.queryType({ description: 'Everything kam knows, read through one endpoint.' });
builder.mutationType({
  description: 'Every workflow of Key Account Management, and the bulk paths for scripts.',
});

export const schema = builder.toSchema({ sortSchema: true });
