/**
 * Windows folder classification for the semi-automatic levels: normalising a path, matching it against
 * folder patterns, and classing it core, temp, other or unknown.
 *
 * @module
 */
import * as z from 'zod';
import { assertNever, type Target } from '../../catalog/targets.js';

/**
 * What a file path is, for the semi-automatic levels: in a core (operating-system) folder, in a
 * temporary folder, anywhere else, or `unknown`: a spelling whose folder cannot be told for sure (a
 * relative path, an 8.3 short folder name such as `WINDOW~1`, an environment variable other than
 * `%SystemRoot%`/`%windir%`, a network share). Unknown falls on the safe side: it waits for approval
 * at both semi-automatic folder levels.
 *
 * @example
 * ```ts
 * import { FOLDER_CLASSES } from 'actioncenter/adapter-kit';
 * FOLDER_CLASSES; // ['core', 'temp', 'other', 'unknown']
 * ```
 */
export const FOLDER_CLASSES = ['core', 'temp', 'other', 'unknown'] as const;

/**
 * One of {@link FOLDER_CLASSES}.
 *
 * @example
 * ```ts
 * import type { FolderClass } from 'actioncenter/adapter-kit';
 * const c: FolderClass = 'temp';
 * ```
 */
export type FolderClass = (typeof FOLDER_CLASSES)[number];

/**
 * Which folders are core and which are temporary, as case-insensitive path patterns. Patterns
 * are matched against the normalised path (see {@link normaliseWindowsPath}), segment by segment:
 * `*` matches any characters within one folder or file name, and a pattern whose LAST segment is
 * `*` matches everything below that folder, at any depth (`\windows\*` covers
 * `\windows\system32\drivers\x.sys`). No other wildcard exists. Drive letters are ignored.
 *
 * @example
 * ```ts
 * import type { FolderClassification } from 'actioncenter/adapter-kit';
 * const folders: FolderClassification = { coreFolders: ['\\windows\\*'], tempFolders: ['\\windows\\temp\\*'] };
 * ```
 */
export interface FolderClassification {
  /** Path prefixes of operating-system folders (`\\windows\\`), matched case-insensitively. */
  readonly coreFolders: readonly string[];
  /** Path prefixes of temporary folders, matched case-insensitively. */
  readonly tempFolders: readonly string[];
}

const folderPattern = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

/**
 * Schema of a {@link FolderClassification}: at most 1,000 patterns per list, each 1–1,024
 * characters without control characters.
 *
 * @example
 * ```ts
 * import { FolderClassificationSchema } from 'actioncenter/adapter-kit';
 * FolderClassificationSchema.safeParse({ coreFolders: [''], tempFolders: [] }).success; // false
 * ```
 */
export const FolderClassificationSchema = z.strictObject({
  coreFolders: z.array(folderPattern).max(1000),
  tempFolders: z.array(folderPattern).max(1000),
});

/**
 * The default Windows classification. Core: the operating-system folder (`\windows\*`), as
 * DESIGN.md and Defender's "core folders" describe it; Program Files is deliberately NOT core
 * (add it if your organisation wants approval there too). Temp: the per-user temp folder, the
 * Windows temp folder and the conventional root temp folders. Temp wins over core, so
 * `C:\Windows\Temp\x.exe` is temp.
 *
 * @example
 * ```ts
 * import { DEFAULT_WINDOWS_FOLDERS, classifyPath } from 'actioncenter/adapter-kit';
 * classifyPath('C:\\Windows\\System32\\evil.dll', DEFAULT_WINDOWS_FOLDERS); // 'core'
 * ```
 */
export const DEFAULT_WINDOWS_FOLDERS: FolderClassification = Object.freeze({
  coreFolders: Object.freeze(['\\windows\\*']),
  tempFolders: Object.freeze(['\\users\\*\\appdata\\local\\temp\\*', '\\windows\\temp\\*', '\\temp\\*', '\\tmp\\*']),
});

/** A Windows path as classification sees it: its normal form, and whether its folder can be told. */
interface AnalysedPath {
  readonly normalised: string;
  readonly classable: boolean;
}

// Prefixes that name the root of a local volume: `\\?\`, `\\.\`, `\??\` (NT object names), a
// volume by GUID, and the NT device of a disk volume (`\Device\HarddiskVolume3\`, also behind
// `\\?\GLOBALROOT`). What follows them is a path from a volume's root.
const VOLUME_PREFIX =
  /^(?:\\\\[?.]\\|\\\?\?\\)(?:globalroot\\)?(?:device\\harddiskvolume\d+\\|volume\{[0-9a-f-]+\}\\)?|^\\device\\harddiskvolume\d+(?=\\|$)/;
// An administrative share (`\\host\C$\...`, also `\\?\UNC\host\C$\...`): that host's drive root.
const ADMIN_SHARE = /^\\\\(?:[?.]\\unc\\)?[^\\]+\\[a-z]\$(?=\\|$)/;
// The Windows folder under its other names: the NT symbolic link and the environment variables.
const WINDOWS_FOLDER_ALIAS = /^\\?(?:systemroot|%systemroot%|%windir%)(?=\\|$)/;

function analyseWindowsPath(path: string): AnalysedPath {
  let p = path.toLowerCase().replace(/\//g, '\\');
  let unc = false;
  let rooted = true;
  if (ADMIN_SHARE.test(p)) {
    p = p.replace(ADMIN_SHARE, '');
  } else if (p.startsWith('\\\\?\\unc\\') || p.startsWith('\\\\.\\unc\\')) {
    p = `\\\\${p.slice(8)}`;
    unc = true;
  } else if (VOLUME_PREFIX.test(p)) {
    // What follows is a drive path (`\\?\C:\...`) or a path from the volume's root.
    p = p.replace(VOLUME_PREFIX, '');
    if (!/^[a-z]:/.test(p) && !p.startsWith('\\')) p = `\\${p}`;
  } else if (p.startsWith('\\\\')) {
    unc = true;
  }
  if (!unc) {
    p = p.replace(WINDOWS_FOLDER_ALIAS, '\\windows');
    if (/^[a-z]:/.test(p)) {
      // `C:name` (no separator) is relative to that drive's current folder.
      rooted = p[2] === '\\';
      p = p.slice(2);
    } else {
      rooted = p.startsWith('\\');
    }
  }
  const segments: string[] = [];
  for (const raw of (unc ? p.slice(2) : p).split('\\')) {
    if (raw === '' || raw === '.') continue;
    if (raw === '..') {
      segments.pop();
      continue;
    }
    // A name made only of dots and spaces resolves to its folder, like '.'.
    const name = raw.replace(/[. ]+$/, '');
    if (name !== '') segments.push(name);
  }
  const folders = segments.slice(0, -1);
  const classable =
    !unc &&
    rooted &&
    !segments.some((name) => name.includes('%')) &&
    // An 8.3 short name (`window~1`) may stand for any long name; a stream suffix
    // (`windows::$index_allocation`) opens the folder itself.
    !folders.some((name) => /~\d/.test(name) || name.includes(':'));
  return { normalised: (unc ? '\\\\' : '\\') + segments.join('\\'), classable };
}

/**
 * Normalises a Windows path for classification: lower case, `/` read as `\`; the `\\?\`, `\\.\`
 * and `\??\` prefixes, volume GUIDs, NT disk devices (`\Device\HarddiskVolume3`), administrative
 * shares (`\\host\C$`) and the drive letter dropped; `\SystemRoot`, `%SystemRoot%` and `%windir%`
 * read as `\windows`; repeated separators collapsed, `.` and `..` segments resolved (never above
 * the root) and trailing dots and spaces of each name removed, as Win32 does. Without this,
 * `C:\Windows\Temp\..\System32\x.dll` would pass for a temp file. Other UNC paths keep their
 * leading `\\`. 8.3 short names and other environment variables cannot be expanded here:
 * {@link classifyPath} classes such paths `unknown`.
 *
 * @example
 * ```ts
 * import { normaliseWindowsPath } from 'actioncenter/adapter-kit';
 * normaliseWindowsPath('C:/Windows/Temp/../System32/Evil.DLL'); // '\\windows\\system32\\evil.dll'
 * normaliseWindowsPath('\\Device\\HarddiskVolume3\\Windows\\x.dll'); // '\\windows\\x.dll'
 * ```
 */
export function normaliseWindowsPath(path: string): string {
  return analyseWindowsPath(path).normalised;
}

// Classic wildcard matching within one name; linear backtracking to the last `*`, so a hostile
// pattern cannot make it exponential (no regular expressions built from user data).
function nameMatches(glob: string, name: string): boolean {
  let g = 0;
  let n = 0;
  let starG = -1;
  let starN = 0;
  while (n < name.length) {
    if (g < glob.length && glob[g] === '*') {
      starG = g++;
      starN = n;
    } else if (g < glob.length && glob[g] === name[n]) {
      g++;
      n++;
    } else if (starG >= 0) {
      g = starG + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

function segmentsOf(normalised: string): string[] | null {
  // UNC and device paths are not local folders: no pattern applies.
  if (normalised.startsWith('\\\\')) return null;
  return normalised === '\\' ? [] : normalised.slice(1).split('\\');
}

/**
 * Does a path match one folder pattern? Both are normalised first; see
 * {@link FolderClassification} for the pattern language.
 *
 * @example
 * ```ts
 * import { pathMatchesFolderPattern } from 'actioncenter/adapter-kit';
 * pathMatchesFolderPattern('D:\\Users\\bob\\AppData\\Local\\Temp\\a.exe', '\\users\\*\\appdata\\local\\temp\\*'); // true
 * ```
 */
export function pathMatchesFolderPattern(path: string, pattern: string): boolean {
  const pathSegments = segmentsOf(normaliseWindowsPath(path));
  const patternSegments = segmentsOf(normaliseWindowsPath(pattern));
  if (pathSegments === null || patternSegments === null) return false;
  const last = patternSegments.at(-1);
  if (last === '*') {
    const folder = patternSegments.slice(0, -1);
    return pathSegments.length > folder.length && folder.every((glob, i) => nameMatches(glob, pathSegments[i] ?? ''));
  }
  return (
    pathSegments.length === patternSegments.length &&
    patternSegments.every((glob, i) => nameMatches(glob, pathSegments[i] ?? ''))
  );
}

/**
 * Classifies a file path as `core`, `temp` or `other` under a classification, or `unknown` when
 * its folder cannot be told (see {@link FOLDER_CLASSES}). Temp wins over core (`\windows\temp\*`
 * is inside `\windows\*`).
 *
 * @example
 * ```ts
 * import { classifyPath, DEFAULT_WINDOWS_FOLDERS } from 'actioncenter/adapter-kit';
 * classifyPath('c:\\windows\\temp\\dropper.exe', DEFAULT_WINDOWS_FOLDERS); // 'temp'
 * classifyPath('C:\\Users\\bob\\Downloads\\x.exe', DEFAULT_WINDOWS_FOLDERS); // 'other'
 * ```
 */
export function classifyPath(path: string, classification: FolderClassification): FolderClass {
  if (!analyseWindowsPath(path).classable) return 'unknown';
  if (classification.tempFolders.some((pattern) => pathMatchesFolderPattern(path, pattern))) return 'temp';
  if (classification.coreFolders.some((pattern) => pathMatchesFolderPattern(path, pattern))) return 'core';
  return 'other';
}

/**
 * The file-system path a target designates, if any: a file's path, or a driver's path when
 * known. Every other target (devices, processes, registry keys, services, scheduled tasks, email,
 * identities) has none.
 *
 * @example
 * ```ts
 * import { pathOfTarget } from 'actioncenter/adapter-kit';
 * pathOfTarget({ kind: 'url', url: 'https://evil.example/' }); // null
 * ```
 */
export function pathOfTarget(target: Target): string | null {
  switch (target.kind) {
    case 'file':
      return target.path;
    case 'driver':
      return target.path;
    case 'device':
    case 'process':
    case 'registryKey':
    case 'service':
    case 'scheduledTask':
    case 'emailMessage':
    case 'emailCluster':
    case 'url':
    case 'mailbox':
    case 'user':
    case 'indicator':
      return null;
    default:
      return assertNever(target);
  }
}
