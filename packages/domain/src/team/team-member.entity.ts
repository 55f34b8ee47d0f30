import { defineEntity, p } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import { TEAM_ROLES } from '../common/vocabulary.ts';
import { Person } from '../organisation/person.entity.ts';

export const TeamMemberSchema = defineEntity({
  name: 'TeamMember',
  uniques: [{ properties: ['account', 'person', 'role'] }],
  indexes: [{ properties: ['person'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    person: () => p.manyToOne(Person),
    role: p.enum(TEAM_ROLES),
    /** For a multinational: the geography this member covers (null = the whole account). */
    geography: p.string().length(80).nullable(),
    /** The reporting line, e.g. a regional key account manager reporting to the global one. */
    reportsTo: () => p.manyToOne(TeamMember).nullable().deleteRule('set null'),
    since: p.date().nullable(),
  },
});

/** A person's role on an account team (domain §6). */
export class TeamMember extends TeamMemberSchema.class {}
TeamMemberSchema.setClass(TeamMember);
