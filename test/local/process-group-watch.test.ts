import { ChildProcess, spawn, spawnSync } from 'child_process';
import { processGroupAncestors, whenAnyExits } from '../../src/local/process-group-watch';

/** The processes of a process group: pid, parent and command, from `ps`. */
function groupOf(pgid: number): { pid: number; ppid: number; command: string }[] {
  return spawnSync('ps', ['-eo', 'pid=,ppid=,pgid=,comm='], { encoding: 'utf-8' }).stdout.split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => Number(fields[2]) === pgid)
    .map(([pid, ppid, , command]) => ({ pid: Number(pid), ppid: Number(ppid), command }));
}

/**
 * A chain in its own process group, like `npx` -> `sh` -> `projen` -> emulator: a leader shell, a shell it started,
 * and the `sleep` that one runs (the trailing `true`s keep each shell from replacing itself with its command).
 */
async function chain(): Promise<{ leader: ChildProcess; middle: number; last: number }> {
  const leader = spawn('sh', ['-c', 'sh -c "sleep 30; true"; true'], { detached: true, stdio: 'ignore' });
  for (let attempt = 0; attempt < 50; attempt++) {
    const sleep = groupOf(leader.pid!).find((p) => p.command === 'sleep');
    if (sleep) return { leader, middle: sleep.ppid, last: sleep.pid };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the process chain did not start');
}

const started: ChildProcess[] = [];
afterAll(() => started.forEach((leader) => {
  try {
    process.kill(-leader.pid!, 'SIGKILL');
  } catch {
    // Gone already.
  }
}));

test('the ancestors of a process in its process group, nearest first, stop at the group', async () => {
  const { leader, middle, last } = await chain();
  started.push(leader);
  expect(processGroupAncestors(last)).toEqual([middle, leader.pid]);
  // The leader's parent (this test) is in another group.
  expect(processGroupAncestors(leader.pid)).toEqual([]);
});

test('a process that cannot be read has no ancestors to watch', () => {
  expect(processGroupAncestors(2 ** 22 + 1)).toEqual([]);
});

test('says when one of the watched processes exits (a signal to the leader alone leaves the others running)', async () => {
  const { leader, middle, last } = await chain();
  started.push(leader);
  const exited = new Promise<number>((resolve) => whenAnyExits([middle, leader.pid!], resolve, 50));
  process.kill(leader.pid!, 'SIGTERM');
  expect(await exited).toBe(leader.pid);
  expect(groupOf(leader.pid!).map((p) => p.pid)).toContain(last);
});
