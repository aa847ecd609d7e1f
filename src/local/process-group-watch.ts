/**
 * Stopping together with `npx projen dev`. Ctrl-C signals the whole process group, but a signal sent to the `npx`
 * process alone (`kill <pid>`, an IDE's stop button, a supervisor) reaches neither projen nor the emulator: npm's
 * `sh -c` and projen's task runner do not forward it, and the emulator would keep its port. So the emulator
 * watches its ancestors in its own process group (`npx`, `sh`, `projen`) and stops when one of them exits.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';

/** The parent and process group of a process: from /proc on Linux, else from `ps`. */
function parentAndGroup(pid: number): { ppid: number; pgid: number } {
  const statFile = `/proc/${pid}/stat`;
  let fields: string[];
  if (fs.existsSync(statFile)) {
    // "pid (command) state ppid pgrp ...": the command may hold spaces and parentheses, so read after the last ")".
    const stat = fs.readFileSync(statFile, 'utf-8');
    fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(1, 3);
  } else {
    fields = execFileSync('ps', ['-o', 'ppid=,pgid=', '-p', String(pid)], { encoding: 'utf-8' }).trim().split(/\s+/);
  }
  const [ppid, pgid] = fields.map(Number);
  return { ppid, pgid };
}

/** The ancestors of a process that are in its process group, nearest first; none when they cannot be read. */
export function processGroupAncestors(pid: number = process.pid): number[] {
  try {
    const { ppid, pgid } = parentAndGroup(pid);
    const ancestors: number[] = [];
    for (let ancestor = ppid; ancestor > 1;) {
      const next = parentAndGroup(ancestor);
      if (next.pgid !== pgid) break;
      ancestors.push(ancestor);
      ancestor = next.ppid;
    }
    return ancestors;
  } catch {
    return [];
  }
}

/**
 * Calls `onExit` once, when one of `pids` no longer runs (checked every `intervalMs`). The timer keeps no process
 * alive. Returns a function that stops watching.
 */
export function whenAnyExits(pids: number[], onExit: (pid: number) => void, intervalMs = 500): () => void {
  const timer = setInterval(() => {
    const gone = pids.find((pid) => !isRunning(pid));
    if (gone !== undefined) {
      clearInterval(timer);
      onExit(gone);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
