/**
 * Child processes for the multi-process test and the workers bench: `node --import tsx <file>`
 * (tsx reads tsconfig.json's paths: the children import 'actioncenter' from the sources).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');

export interface Child {
  readonly process: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once a line of stdout satisfies `test` (rejects after `timeoutMs`, or when the process exits first). */
  line(test: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Writes one line to the process's stdin. */
  send(line: string): void;
  /** The complete lines of stdout so far. */
  lines(): readonly string[];
}

export function startChild(file: 'worker-process.ts' | 'api-process.ts', env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, file)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let text = '';
  let out = '';
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    out += chunk.toString();
    const all = out.split('\n');
    lines.splice(0, lines.length, ...all.slice(0, -1));
    for (const wake of waiting) wake();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const wake of waiting) wake();
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    process: child,
    output: () => text,
    send: (line) => void child.stdin?.write(`${line}\n`),
    lines: () => [...lines],
    exited,
    line(test, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`${file}: no such line within ${timeoutMs} ms; output:\n${text.slice(-2000)}`));
        }, timeoutMs);
        const check = () => {
          const found = lines.find(test);
          if (found !== undefined) {
            clearTimeout(timer);
            waiting.delete(check);
            resolve(found);
          } else if (done) {
            clearTimeout(timer);
            waiting.delete(check);
            reject(new Error(`${file} exited before the line; output:\n${text.slice(-2000)}`));
          }
        };
        waiting.add(check);
        check();
      });
    },
  };
}
