/**
 * Group commit: jobs submitted under the same key (a team) while earlier ones are being written
 * are written together, in ONE transaction, and each job's promise settles only when that
 * transaction has committed (or failed). Under load this turns many small transactions into a few
 * large ones; when idle a job starts at once, alone, so nothing waits for company.
 *
 * At most `maxRunning` groups per key are in flight; a group takes waiting jobs up to `maxSize`
 * (by `sizeOf`), and always at least one. If a group fails, each of its jobs is run again alone,
 * so one job's failure is reported to that job only.
 */
export interface GroupCommitOptions<Job, Result> {
  maxRunning: number;
  maxSize: number;
  sizeOf: (job: Job) => number;
  /** Write the jobs in one transaction; one result per job, in order. */
  run: (key: string, jobs: Job[]) => Promise<Result[]>;
}

interface Waiting<Job, Result> {
  job: Job;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

interface Lane<Job, Result> {
  waiting: Waiting<Job, Result>[];
  running: number;
}

export class GroupCommit<Job, Result> {
  private readonly lanes = new Map<string, Lane<Job, Result>>();

  constructor(private readonly options: GroupCommitOptions<Job, Result>) {}

  submit(key: string, job: Job): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      let lane = this.lanes.get(key);
      if (!lane) {
        lane = { waiting: [], running: 0 };
        this.lanes.set(key, lane);
      }
      lane.waiting.push({ job, resolve, reject });
      this.pump(key, lane);
    });
  }

  private pump(key: string, lane: Lane<Job, Result>): void {
    while (lane.running < this.options.maxRunning && lane.waiting.length > 0) {
      const group = this.take(lane);
      lane.running++;
      void this.write(key, group).finally(() => {
        lane.running--;
        if (lane.waiting.length > 0) this.pump(key, lane);
        else if (lane.running === 0) this.lanes.delete(key);
      });
    }
  }

  private take(lane: Lane<Job, Result>): Waiting<Job, Result>[] {
    let size = this.options.sizeOf(lane.waiting[0]!.job);
    let n = 1;
    while (n < lane.waiting.length) {
      const next = this.options.sizeOf(lane.waiting[n]!.job);
      if (size + next > this.options.maxSize) break;
      size += next;
      n++;
    }
    return lane.waiting.splice(0, n);
  }

  private async write(key: string, group: Waiting<Job, Result>[]): Promise<void> {
    try {
      const results = await this.options.run(
        key,
        group.map((w) => w.job),
      );
      group.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      await Promise.all(
        group.map(async (w) => {
          try {
            w.resolve((await this.options.run(key, [w.job]))[0]!);
          } catch (alone) {
            w.reject(alone);
          }
        }),
      );
    }
  }
}
