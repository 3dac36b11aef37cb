// Issue 12, item 7: Windows spellings of core folders were classed "other", so under semiCoreFolders
// they were remediated at once. Each spelling now classes as the plain drive path does, and a path
// whose folder cannot be told (8.3 short folder names, other environment variables, relative paths,
// network shares) is "unknown", which waits for approval at both semi-automatic folder levels.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  builtInCatalog,
  createApprovalPolicy,
  decideApproval,
  unwrap,
  type ActionRequest,
  type AutomationLevel,
} from '../../src/index.js';
import {
  DEFAULT_WINDOWS_FOLDERS,
  asId,
  classifyPath,
  type DeviceGroupId,
  type FolderClass,
} from '../../src/adapter-kit.js';

const quarantineFile = builtInCatalog.require('quarantineFile');
const automatedQuarantine = (path: string): ActionRequest => ({
  actionType: 'quarantineFile',
  target: {
    kind: 'file',
    deviceId: 'd1',
    deviceName: 'D1',
    deviceGroup: asId<DeviceGroupId>('Workstations'),
    path,
    sha1: null,
    sha256: null,
  },
  parameters: {},
  source: 'automatedDeviceAction',
  requestedBy: { type: 'system', component: 'automatedInvestigation' },
  investigationId: null,
  verdict: 'malicious',
  comment: null,
  propose: false,
  idempotencyKey: null,
});
const decide = (path: string, level: AutomationLevel) =>
  decideApproval(
    automatedQuarantine(path),
    quarantineFile,
    unwrap(createApprovalPolicy({ defaultAutomationLevel: level })),
  );

describe('the spellings of the issue', () => {
  test.each<[string, FolderClass]>([
    ['\\??\\C:\\Windows\\System32\\evil.dll', 'core'],
    ['\\Device\\HarddiskVolume3\\Windows\\System32\\evil.dll', 'core'],
    ['\\\\?\\GLOBALROOT\\Device\\HarddiskVolume3\\Windows\\evil.dll', 'core'],
    ['\\\\?\\Volume{0b2c3d4e-1111-2222-3333-444455556666}\\Windows\\evil.dll', 'core'],
    ['\\SystemRoot\\System32\\drivers\\evil.sys', 'core'],
    ['%SystemRoot%\\System32\\evil.dll', 'core'],
    ['%windir%\\evil.dll', 'core'],
    ['\\\\localhost\\C$\\Windows\\System32\\evil.dll', 'core'],
    ['\\\\127.0.0.1\\c$\\Windows\\evil.dll', 'core'],
    ['\\\\?\\UNC\\localhost\\C$\\Windows\\evil.dll', 'core'],
    ['\\\\?\\C:\\Windows\\Temp\\dropper.exe', 'temp'],
    ['\\??\\C:\\Users\\bob\\Downloads\\x.exe', 'other'],
    ['C:\\Users\\bob\\Downloads\\SETUP~1.EXE', 'other'],
    ['C:\\WINDOW~1\\System32\\evil.dll', 'unknown'],
    ['C:\\PROGRA~1\\App\\app.exe', 'unknown'],
    ['%TEMP%\\dropper.exe', 'unknown'],
    ['Windows\\System32\\evil.dll', 'unknown'],
    ['C:Windows\\evil.dll', 'unknown'],
    ['C:\\Windows::$INDEX_ALLOCATION\\evil.dll', 'unknown'],
    ['\\\\fileserver\\share\\windows\\x.exe', 'unknown'],
    ['', 'unknown'],
  ])('%s is %s', (path, expected) => {
    expect(classifyPath(path, DEFAULT_WINDOWS_FOLDERS)).toBe(expected);
  });

  test.each([
    '\\??\\C:\\Windows\\evil.dll',
    '\\Device\\HarddiskVolume3\\Windows\\evil.dll',
    '\\SystemRoot\\evil.dll',
    '%SystemRoot%\\evil.dll',
    'C:\\WINDOW~1\\evil.dll',
    '\\\\localhost\\C$\\Windows\\evil.dll',
  ])('under semiCoreFolders, %s waits for approval', (path) => {
    expect(decide(path, 'semiCoreFolders').outcome).toBe('pending');
  });

  test('a path that cannot be classed waits at both folder levels, with its own reason', () => {
    for (const level of ['semiCoreFolders', 'semiNonTempFolders'] as const) {
      const d = decide('C:\\WINDOW~1\\evil.dll', level);
      expect(d.outcome).toBe('pending');
      if (d.outcome === 'pending') expect(d.reason).toBe('unclassifiedFolder');
    }
    // The plain spelling of an ordinary folder is still taken at once under semiCoreFolders.
    expect(decide('C:\\Users\\bob\\Downloads\\x.exe', 'semiCoreFolders').outcome).toBe('takenNow');
  });
});

describe('property: a path classes the same under every spelling of its volume root', () => {
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _-]{0,10}$/);
  const folders = fc.array(
    fc.oneof(name, fc.constantFrom('Windows', 'System32', 'Temp', 'Users', 'AppData', 'Local', 'tmp')),
    { minLength: 0, maxLength: 5 },
  );
  const spellings = (rest: string): string[] => [
    `C:\\${rest}`,
    `\\\\?\\C:\\${rest}`,
    `\\??\\C:\\${rest}`,
    `\\\\.\\C:\\${rest}`,
    `\\Device\\HarddiskVolume2\\${rest}`,
    `\\\\?\\GLOBALROOT\\Device\\HarddiskVolume2\\${rest}`,
    `\\\\localhost\\C$\\${rest}`,
    `\\\\?\\UNC\\localhost\\C$\\${rest}`,
    `c:/${rest.replace(/\\/g, '/')}`,
  ];

  test('core, temp and other are the same for every spelling', () => {
    fc.assert(
      fc.property(folders, name, (path, file) => {
        const rest = [...path, `${file}.exe`].join('\\');
        const classes = new Set(spellings(rest).map((p) => classifyPath(p, DEFAULT_WINDOWS_FOLDERS)));
        expect(classes.size).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  test('no spelling of a core file is ever taken at once under semiCoreFolders', () => {
    fc.assert(
      fc.property(
        folders,
        name,
        fc.constantFrom('', '\\??\\', '\\\\?\\', '\\\\localhost\\C$\\', '%SystemRoot%\\..\\', '\\SystemRoot\\..\\'),
        (path, file, prefix) => {
          const rest = ['Windows', ...path, `${file}.dll`].join('\\');
          const spelled =
            prefix === ''
              ? `C:\\${rest}`
              : prefix.endsWith('$\\') || prefix.endsWith('..\\')
                ? `${prefix}${rest}`
                : `${prefix}C:\\${rest}`;
          const folder = classifyPath(spelled, DEFAULT_WINDOWS_FOLDERS);
          if (folder !== 'temp') expect(decide(spelled, 'semiCoreFolders').outcome).toBe('pending');
        },
      ),
      { numRuns: 300 },
    );
  });
});
