/**
 * Arbitraries of the small domain values: targets of every kind, actors, role assignments and
 * principals. Values are parsed through the library's own schemas, so they are what a request or a
 * record holds after parsing (defaults applied, hashes lower-cased).
 *
 * @module
 */
import { type Actor, type Principal, type TargetKind } from 'actioncenter';
import {
  PrincipalSchema,
  RoleAssignmentSchema,
  ROLE_SCOPES,
  ROLE_SCOPES_THAT_COUNT,
  ROLES,
  TargetSchema,
  type RoleAssignment,
  type TargetOf,
} from 'actioncenter/adapter-kit';
import type { Arbitrary, FastCheck } from './fast-check.js';

/**
 * The device groups generated targets and role scopes use unless you give your own.
 *
 * @example
 * ```ts
 * import { DEFAULT_DEVICE_GROUPS } from 'actioncenter/testing';
 * DEFAULT_DEVICE_GROUPS; // ['Workstations', 'Servers', 'Finance']
 * ```
 */
export const DEFAULT_DEVICE_GROUPS: readonly string[] = Object.freeze(['Workstations', 'Servers', 'Finance']);

/** One arbitrary per target kind, each of parsed targets of that kind. */
export type TargetArbitraries = { readonly [K in TargetKind]: Arbitrary<TargetOf<K>> };

/**
 * Arbitraries of targets of every kind, on devices of the given groups. With `atLimits`, text fields
 * are drawn at or near their schema maximum half of the time (1,024 for names, 4,096 for queries,
 * indicator values and URLs), with characters JSON and PostgreSQL text must escape.
 */
export function targetArbitraries(fc: FastCheck, deviceGroups: readonly string[], atLimits = false): TargetArbitraries {
  // Near the limit: the last few lengths up to it, in printable or control ASCII (escaped in JSON; NUL in PostgreSQL text).
  const nearLimit = (limit: number) =>
    fc.oneof(
      fc.string({ minLength: limit - 8, maxLength: limit }),
      fc.string({ unit: 'binary-ascii', minLength: limit - 8, maxLength: limit }),
    );
  const text = (maxLength: number, limit = 1024) =>
    atLimits
      ? fc.oneof(fc.string({ minLength: 1, maxLength }), nearLimit(limit))
      : fc.string({ minLength: 1, maxLength });
  // Familiar names most of the time, so that generated sets share assets (filters hit, sorts tie).
  const familiar = <T>(known: readonly T[], other: Arbitrary<T>) =>
    fc.oneof({ arbitrary: fc.constantFrom(...known), weight: atLimits ? 1 : 3 }, { arbitrary: other, weight: 1 });
  const group = fc.constantFrom(...(deviceGroups.length > 0 ? deviceGroups : DEFAULT_DEVICE_GROUPS));
  const device = fc
    .tuple(
      familiar(['LAPTOP-1', 'LAPTOP-2', 'DESKTOP-7', 'SRV-DB-01', 'SRV-WEB-02'], text(30)),
      group,
      atLimits ? fc.option(nearLimit(1024)) : fc.constant(null),
    )
    .map(([deviceName, deviceGroup, longId]) => ({
      deviceId: longId ?? `dev-${deviceName}`.slice(0, 1024),
      deviceName,
      deviceGroup,
    }));
  const path = familiar(
    [
      'C:\\Windows\\System32\\drivers\\evil.sys',
      'C:\\Users\\alex\\AppData\\Local\\Temp\\dropper.exe',
      'C:\\Users\\alex\\Downloads\\invoice.exe',
      'C:\\ProgramData\\updater\\svc.exe',
    ],
    atLimits
      ? fc.oneof(
          fc.stringMatching(/^C:\\Users\\[a-z]{1,8}\\[A-Za-z]{1,8}\\[a-z0-9_-]{1,12}\.(exe|dll|ps1)$/),
          nearLimit(1024),
        )
      : fc.stringMatching(/^C:\\Users\\[a-z]{1,8}\\[A-Za-z]{1,8}\\[a-z0-9_-]{1,12}\.(exe|dll|ps1)$/),
  );
  const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${length}}$`));
  const email = familiar(
    ['alex@contoso.com', 'ceo@contoso.com', 'finance@fabrikam.example'],
    fc
      .tuple(
        fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/),
        fc.constantFrom('contoso.com', 'fabrikam.example', 'woodgrove.org'),
      )
      .map(([local, domain]) => `${local}@${domain}`),
  );
  // A long URL: a host, then a path that fills it up to 4,096 characters.
  const longUrl = fc
    .tuple(
      fc.constantFrom('https://malicious.example/', 'http://phish.example/p?q='),
      fc.integer({ min: 4088, max: 4096 }),
      fc.string({ unit: fc.constantFrom(...'abz09-_~.'), minLength: 1, maxLength: 8 }),
    )
    .map(([host, length, tail]) => (host + tail.repeat(Math.ceil(length / tail.length))).slice(0, length));
  const url = familiar(
    ['https://malicious.example/landing', 'http://phish.example/login'],
    atLimits ? fc.oneof(fc.webUrl({ withQueryParameters: true }), longUrl) : fc.webUrl({ withQueryParameters: true }),
  );
  const parsed = <K extends TargetKind>(arbitrary: Arbitrary<{ readonly kind: K }>): Arbitrary<TargetOf<K>> =>
    arbitrary.map((t) => TargetSchema.parse(t) as TargetOf<K>);

  return {
    device: parsed(device.map((d) => ({ kind: 'device' as const, ...d }))),
    file: parsed(
      fc
        .tuple(device, path, fc.option(hex(40), { nil: null }), fc.option(hex(64), { nil: null }))
        .map(([d, p, sha1, sha256]) => ({ kind: 'file' as const, ...d, path: p, sha1, sha256 })),
    ),
    process: parsed(
      fc
        .tuple(
          device,
          familiar(['powershell.exe', 'rundll32.exe', 'miner.exe'], text(40)),
          fc.option(fc.nat({ max: 65_535 }), { nil: null }),
          fc.option(hex(40), { nil: null }),
        )
        .map(([d, processName, processId, sha1]) => ({ kind: 'process' as const, ...d, processName, processId, sha1 })),
    ),
    registryKey: parsed(
      fc
        .tuple(
          device,
          familiar(
            ['HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'HKCU\\Software\\Classes\\ms-settings'],
            text(80),
          ),
          fc.option(text(40), { nil: null }),
        )
        .map(([d, keyPath, valueName]) => ({ kind: 'registryKey' as const, ...d, keyPath, valueName })),
    ),
    service: parsed(
      fc
        .tuple(device, familiar(['EvilSvc', 'UpdaterService'], text(40)))
        .map(([d, serviceName]) => ({ kind: 'service' as const, ...d, serviceName })),
    ),
    driver: parsed(
      fc
        .tuple(device, familiar(['evil.sys', 'rootkit.sys'], text(40)), fc.option(path, { nil: null }))
        .map(([d, driverName, p]) => ({ kind: 'driver' as const, ...d, driverName, path: p })),
    ),
    scheduledTask: parsed(
      fc
        .tuple(device, familiar(['\\Microsoft\\Updater', '\\Persist'], text(60)))
        .map(([d, taskName]) => ({ kind: 'scheduledTask' as const, ...d, taskName })),
    ),
    emailMessage: parsed(
      fc
        .tuple(
          email,
          familiar(['<msg-1@contoso.com>', '<msg-2@contoso.com>'], text(60)),
          fc.option(atLimits ? fc.oneof(fc.string({ maxLength: 80 }), nearLimit(1024)) : fc.string({ maxLength: 80 }), {
            nil: null,
          }),
        )
        .map(([mailbox, networkMessageId, subject]) => ({
          kind: 'emailMessage' as const,
          mailbox,
          networkMessageId,
          subject,
        })),
    ),
    emailCluster: parsed(
      fc
        .tuple(
          familiar(['subject:"Invoice overdue"', 'from:billing@fabrikam.example'], text(120, 4096)),
          fc.option(fc.nat({ max: 100_000 }), { nil: null }),
        )
        .map(([query, messageCount]) => ({ kind: 'emailCluster' as const, query, messageCount })),
    ),
    url: parsed(url.map((u) => ({ kind: 'url' as const, url: u }))),
    mailbox: parsed(email.map((mailbox) => ({ kind: 'mailbox' as const, mailbox }))),
    user: parsed(
      fc
        .tuple(familiar(['user-1', 'user-2'], atLimits ? fc.oneof(fc.uuid(), nearLimit(1024)) : fc.uuid()), email)
        .map(([userId, userPrincipalName]) => ({ kind: 'user' as const, userId, userPrincipalName })),
    ),
    indicator: parsed(
      fc
        .tuple(
          fc.constantFrom(
            'fileSha1' as const,
            'fileSha256' as const,
            'url' as const,
            'domain' as const,
            'ipAddress' as const,
            'certificate' as const,
          ),
          text(80, 4096),
        )
        .map(([indicatorType, value]) => ({ kind: 'indicator' as const, indicatorType, value })),
    ),
  };
}

/**
 * One fixed target per kind, on a device of group `Workstations` where the kind lives on a
 * device: what the contract suites hand an executor.
 *
 * @example
 * ```ts
 * import { SAMPLE_TARGETS } from 'actioncenter/testing';
 * SAMPLE_TARGETS.device.deviceName; // 'LAPTOP-1'
 * ```
 */
export const SAMPLE_TARGETS: { readonly [K in TargetKind]: TargetOf<K> } = (() => {
  const onDevice = { deviceId: 'dev-LAPTOP-1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' };
  const inputs: { readonly [K in TargetKind]: { readonly kind: K } & Record<string, unknown> } = {
    device: { kind: 'device', ...onDevice },
    file: { kind: 'file', ...onDevice, path: 'C:\\Users\\alex\\Downloads\\invoice.exe', sha1: 'ab'.repeat(20) },
    process: { kind: 'process', ...onDevice, processName: 'miner.exe', processId: 4242 },
    registryKey: {
      kind: 'registryKey',
      ...onDevice,
      keyPath: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
      valueName: 'updater',
    },
    service: { kind: 'service', ...onDevice, serviceName: 'EvilSvc' },
    driver: { kind: 'driver', ...onDevice, driverName: 'evil.sys', path: 'C:\\Windows\\System32\\drivers\\evil.sys' },
    scheduledTask: { kind: 'scheduledTask', ...onDevice, taskName: '\\Persist' },
    emailMessage: {
      kind: 'emailMessage',
      mailbox: 'alex@contoso.com',
      networkMessageId: '<msg-1@contoso.com>',
      subject: 'Invoice overdue',
    },
    emailCluster: { kind: 'emailCluster', query: 'subject:"Invoice overdue"', messageCount: 12 },
    url: { kind: 'url', url: 'https://malicious.example/landing' },
    mailbox: { kind: 'mailbox', mailbox: 'alex@contoso.com' },
    user: { kind: 'user', userId: 'user-1', userPrincipalName: 'alex@contoso.com' },
    indicator: { kind: 'indicator', indicatorType: 'fileSha1', value: 'ab'.repeat(20) },
  };
  const parsed = Object.fromEntries(
    Object.entries(inputs).map(([kind, input]) => [kind, Object.freeze(TargetSchema.parse(input))]),
  );
  return Object.freeze(parsed) as { readonly [K in TargetKind]: TargetOf<K> };
})();

/** Ids of principals: a few familiar ones (so that sets share deciders), and others. */
export function principalIdArbitrary(fc: FastCheck): Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('alice@contoso.com', 'bob@contoso.com', 'soc-automation'), weight: 3 },
    { arbitrary: fc.stringMatching(/^[a-z][a-z0-9.]{0,11}@contoso\.com$/), weight: 1 },
  );
}

/** Actors: principals, or the system components the engine names. */
export function actorArbitraries(fc: FastCheck): {
  readonly principal: Arbitrary<Actor>;
  readonly system: Arbitrary<Actor>;
  readonly any: Arbitrary<Actor>;
} {
  const principal = principalIdArbitrary(fc).map((id): Actor => ({
    type: 'principal',
    id: id as Extract<Actor, { type: 'principal' }>['id'],
  }));
  const system = fc
    .constantFrom('automatedInvestigation', 'antivirus', 'expiry', 'executor')
    .map((component): Actor => ({ type: 'system', component }));
  return { principal, system, any: fc.oneof(principal, system) };
}

/**
 * Role assignments: every role, assigned mostly where it counts and sometimes where it does not
 * (Security Administrator in Email & collaboration), unscoped or scoped to some device groups.
 */
export function roleAssignmentArbitrary(fc: FastCheck, deviceGroups: readonly string[]): Arbitrary<RoleAssignment> {
  const groups = deviceGroups.length > 0 ? deviceGroups : DEFAULT_DEVICE_GROUPS;
  return fc
    .constantFrom(...ROLES)
    .chain((role) =>
      fc
        .tuple(
          fc.oneof(
            { arbitrary: fc.constantFrom(...ROLE_SCOPES_THAT_COUNT[role]), weight: 3 },
            { arbitrary: fc.constantFrom(...ROLE_SCOPES), weight: 1 },
          ),
          fc.option(fc.subarray([...groups], { minLength: 1 }), { nil: null, freq: 2 }),
        )
        .map(([assignedIn, scope]) => RoleAssignmentSchema.parse({ role, assignedIn, deviceGroups: scope })),
    );
}

/** Principals with zero to four role assignments. */
export function principalArbitrary(fc: FastCheck, deviceGroups: readonly string[]): Arbitrary<Principal> {
  return fc
    .record(
      {
        id: principalIdArbitrary(fc),
        displayName: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: null }),
        assignments: fc.array(roleAssignmentArbitrary(fc, deviceGroups), { maxLength: 4 }),
      },
      { noNullPrototype: true },
    )
    .map((p) => PrincipalSchema.parse(p));
}
