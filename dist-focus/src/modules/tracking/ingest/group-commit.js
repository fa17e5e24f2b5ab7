const MAX_IDLE_LANES = 10_000;
export class GroupCommit {
    options;
    lanes = new Map();
    constructor(options) {
        this.options = options;
    }
    submit(key, job) {
        return new Promise((resolve, reject) => {
            const now = performance.now();
            let lane = this.lanes.get(key);
            if (!lane) {
                if (this.lanes.size >= MAX_IDLE_LANES)
                    this.forgetIdle(now);
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
    pump(key, lane) {
        while (lane.running < this.options.maxRunning && lane.waiting.length > 0) {
            const head = lane.waiting[0];
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
    forgetIdle(now) {
        for (const [key, lane] of this.lanes) {
            if (lane.running === 0 && lane.waiting.length === 0 && lane.linger === null && now - lane.lastSeen > 1000)
                this.lanes.delete(key);
        }
    }
    take(lane) {
        let size = this.options.sizeOf(lane.waiting[0].job);
        let n = 1;
        while (n < lane.waiting.length) {
            const next = this.options.sizeOf(lane.waiting[n].job);
            if (size + next > this.options.maxSize)
                break;
            size += next;
            n++;
        }
        lane.size -= size;
        return lane.waiting.splice(0, n);
    }
    async write(key, group) {
        try {
            const results = await this.options.run(key, group.map((w) => w.job));
            group.forEach((w, i) => w.resolve(results[i]));
        }
        catch (error) {
            if (group.length === 1) {
                group[0].reject(error);
                return;
            }
            // One after another: run side by side they could meet the same conflict again, and would
            // exceed maxRunning.
            for (const w of group) {
                try {
                    w.resolve((await this.options.run(key, [w.job]))[0]);
                }
                catch (alone) {
                    w.reject(alone);
                }
            }
        }
    }
}
//# sourceMappingURL=group-commit.js.map