/**
 * DEMO ONLY: the five personas of the demo login (seed 002's roles). A real deployment gets its
 * principals from its identity provider through the `authenticate` hook and turns `demoLogin` off.
 */
import type { PrincipalInput } from 'actioncenter';

/** The persona ids the demo login takes. */
export const PERSONA_IDS = [
  'securityAdministrator',
  'securityReader',
  'searchAndPurge',
  'globalAdministrator',
  'deviceGroupOperator',
] as const;
export type PersonaId = (typeof PERSONA_IDS)[number];

/** A persona: who it signs in as, and what the login screen says about it. */
export interface Persona {
  readonly persona: PersonaId;
  readonly displayName: string;
  readonly description: string;
  readonly principal: PrincipalInput;
}

/** DEMO ONLY: anyone who can reach the server may sign in as any of these. */
export const PERSONAS: Readonly<Record<PersonaId, Persona>> = Object.freeze({
  securityAdministrator: {
    persona: 'securityAdministrator',
    displayName: 'Security Administrator',
    description: 'Approves, rejects and undoes device actions (not email: that needs Search and Purge too).',
    principal: {
      id: 'secadmin@contoso.com',
      displayName: 'Alex Wilber (Security Administrator)',
      assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
    },
  },
  securityReader: {
    persona: 'securityReader',
    displayName: 'Security Reader',
    description: 'Sees and exports every action; may not act.',
    principal: {
      id: 'reader@contoso.com',
      displayName: 'Megan Bowen (Security Reader)',
      assignments: [{ role: 'securityReader', assignedIn: 'entraId' }],
    },
  },
  searchAndPurge: {
    persona: 'searchAndPurge',
    displayName: 'Security Administrator with Search and Purge',
    description: 'Security Administrator plus the Search and Purge role: acts on email too.',
    principal: {
      id: 'purge@contoso.com',
      displayName: 'Lee Gu (Search and Purge)',
      assignments: [
        { role: 'securityAdministrator', assignedIn: 'entraId' },
        { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
      ],
    },
  },
  globalAdministrator: {
    persona: 'globalAdministrator',
    displayName: 'Global Administrator',
    description: 'May approve or reject any pending action, and undo contain user.',
    principal: {
      id: 'ga@contoso.com',
      displayName: 'Nestor Wilke (Global Administrator)',
      assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }],
    },
  },
  deviceGroupOperator: {
    persona: 'deviceGroupOperator',
    displayName: 'Operator of the Servers device group',
    description:
      'Security Operator with Active remediation actions limited to device group "Servers": sees and acts on Servers (and actions on no device) only.',
    principal: {
      id: 'servers-operator@contoso.com',
      displayName: 'Isaiah Langer (Servers operator)',
      assignments: [
        { role: 'securityOperator', assignedIn: 'entraId', deviceGroups: ['Servers'] },
        { role: 'activeRemediationActions', assignedIn: 'defenderForEndpoint', deviceGroups: ['Servers'] },
      ],
    },
  },
});
