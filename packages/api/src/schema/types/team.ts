import { TEAM_ROLES, type TeamMember } from '@kam/domain';
import { builder } from '../../builder.ts';
import { PersonRef } from './organisation.ts';

export const TeamRoleEnum = builder.enumType('TeamRole', {
  description: 'A role on an account team (domain §6).',
  values: TEAM_ROLES,
});

export const TeamMemberRef = builder.objectRef<TeamMember>('TeamMember').implement({
  description: 'A person’s role on an account team.',
  fields: t => ({
    id: t.exposeInt('id', { description: 'The team membership’s id.' }),
    person: t.field({ type: PersonRef, description: 'Who.', resolve: m => m.person.id }),
    role: t.field({ type: TeamRoleEnum, description: 'Their role.', resolve: m => m.role }),
    geography: t.exposeString('geography', {
      nullable: true,
      description: 'The geography they cover (multinationals).',
    }),
    version: t.exposeInt('version', { description: 'Optimistic-lock version.' }),
  }),
});
