/**
 * Group commit: jobs submitted under the same key (a team) close together are written together,
 * in ONE transaction, and each job's promise settles only when that transaction has committed (or
 * failed). Under load this turns many small transactions into a few large ones.
 *
 * A job arriving at an idle lane starts at once, so light traffic waits for nothing. A job that
 * arrives while its lane is busy (a group running or waiting, or the last one within `lingerMs`)
 * waits for company: until a turn of the event loop brings no other job, at most `lingerMs`. At
 * most `maxRunning` groups per key are in flight; a group takes waiting jobs up to `maxSize` (by
 * `sizeOf`), at least one. If a group fails, each of its jobs is run again alone, one after
 * another, so a failure is reported to its own job only.
 */
export interface GroupCommitOptions<Job, Result> {
  maxRunning: number;
  maxSize: number;
  lingerMs: number;
  sizeOf: (job: Job) => number;
  /** Write the jobs in one transaction; one result per job, in order. */
  run: (key: string, jobs: Job[]) => Promise<Result[]>;
}

interface Waiting<Job, Result> {
  job: Job;
  /** When it arrived, and whether the lane was busy then (so it may wait for company). */
  arrived: number;
  patient: boolean;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

interface Lane<Job, Result> {
  waiting: Waiting<Job, Result>[];
  /** Total size of the waiting jobs. */
  size: number;
  running: number;
  /** When the last job arrived or the last group ended. */
  lastSeen: number;
  /** Jobs that ever arrived: a turn of the event loop without a new one is a quiet turn. */
  arrivals: number;
  quiet: boolean;
  linger: NodeJS.Immediate | null;
}

const MAX_IDLE_LANES = 10_000;

export class GroupCommit<Job, Result> {
  private readonly lanes = new Map<string, Lane<Job, Result>>();

  constructor(private readonly options: GroupCommitOptions<Job, Result>) {}

  submit(key: string, job: Job): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const now = performance.now();
      let lane = this.lanes.get(key);
      if (!lane) {
        if (this.lanes.size >= MAX_IDLE_LANES) this.forgetIdle(now);
        lane = { waiting: [], size: 0, running: 0, lastSeen: Number.NEGATIVE_INFINITY, arrivals: 0, quiet: false, linger: null };
        this.lanes.set(key, lane);
      }
      const patient = lane.running > 0 || lane.waiting.length > 0 || now - lane.lastSeen < this.options.lingerMs;
      lane.lastSeen = now;
      lane.arrivals++;
      lane.waiting.push({ job, arrived: now, patient, resolve, reject });
      lane.size += this.options.sizeOf(job);
      this.pump(key, lane);
    });
  }

  /**
   * Start groups while there is room: at once for a job that found the lane idle, or when the
   * group is full; otherwise once a turn of the event loop brought no new job (every request
   * already received has had its chance to join) or the linger is over.
   */
  private pump(key: string, lane: Lane<Job, Result>): void {
    while (lane.running < this.options.maxRunning && lane.waiting.length > 0) {
      const head = lane.waiting[0]!;
      if (head.patient && !lane.quiet && lane.size < this.options.maxSize && performance.now() - head.arrived < this.options.lingerMs) {
        if (lane.linger === null) {
          const seen = lane.arrivals;
          lane.linger = setImmediate(() => {
            lane.linger = null;
            lane.quiet = lane.arrivals === seen;
            this.pump(key, lane);
          });
        }
        return;
      }
      lane.quiet = false;
      if (lane.linger !== null) {
        clearImmediate(lane.linger);
        lane.linger = null;
      }
      const group = this.take(lane);
      lane.running++;
      void this.write(key, group).finally(() => {
        lane.running--;
        lane.lastSeen = performance.now();
        this.pump(key, lane);
      });
    }
  }

  /** Lanes stay after their last group (they remember when it ended); the long-idle ones go. */
  private forgetIdle(now: number): void {
    for (const [key, lane] of this.lanes) {
      if (lane.running === 0 && lane.waiting.length === 0 && lane.linger === null && now - lane.lastSeen > 1000) this.lanes.delete(key);
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
    lane.size -= size;
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
      // One after another: run side by side they could meet the same conflict again, and would
      // exceed maxRunning.
      for (const w of group) {
        try {
          w.resolve((await this.options.run(key, [w.job]))[0]!);
        } catch (alone) {
          w.reject(alone);
        }
      }
    }
  }
}
