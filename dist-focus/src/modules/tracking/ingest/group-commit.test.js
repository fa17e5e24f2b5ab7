import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { GroupCommit } from './group-commit.js';
/** A committer over fake transactions that records each group and can be told to fail. */
function harness(options = {}) {
    const groups = [];
    const committed = new Set();
    let running = 0;
    let maxSeen = 0;
    const commit = new GroupCommit({
        maxRunning: options.maxRunning ?? 1,
        maxSize: options.maxSize ?? 100,
        lingerMs: options.lingerMs ?? 0,
        sizeOf: (job) => Number(job.split(':')[1] ?? 1),
        run: async (_key, jobs) => {
            groups.push(jobs);
            running++;
            maxSeen = Math.max(maxSeen, running);
            try {
                await sleep(options.txMs ?? 5);
                if (options.fail?.(jobs))
                    throw new Error(`failed: ${jobs.join(',')}`);
                for (const j of jobs)
                    committed.add(j);
                return jobs.map((j) => `done ${j}`);
            }
            finally {
                running--;
            }
        },
    });
    return { commit, groups, committed, maxRunning: () => maxSeen };
}
describe('group commit', () => {
    it('a job at an idle lane starts at once and alone', async () => {
        const h = harness({ lingerMs: 5_000 });
        const started = Date.now();
        assert.equal(await h.commit.submit('team', 'a'), 'done a');
        assert.ok(Date.now() - started < 2_500, 'no linger when idle');
        assert.deepEqual(h.groups, [['a']]);
    });
    it('jobs arriving while a group runs go together in the next one, each answered after its commit', async () => {
        const h = harness({ txMs: 150 });
        const first = h.commit.submit('team', 'a');
        await sleep(1);
        const rest = ['b', 'c', 'd'].map((j) => h.commit.submit('team', j).then((r) => {
            assert.ok(h.committed.has(j), `${j} answered only once committed`);
            return r;
        }));
        assert.deepEqual(await Promise.all([first, ...rest]), ['done a', 'done b', 'done c', 'done d']);
        assert.deepEqual(h.groups, [['a'], ['b', 'c', 'd']]);
    });
    it('after a group, a job waits for company while jobs keep coming, and starts after a quiet turn', async () => {
        const h = harness({ lingerMs: 5_000, txMs: 1 });
        await h.commit.submit('team', 'warm');
        // Jobs arriving turn after turn (requests being parsed one by one) join the same group…
        const a = h.commit.submit('team', 'a');
        await new Promise((r) => setImmediate(r));
        const b = h.commit.submit('team', 'b');
        const other = h.commit.submit('other team', 'x');
        await Promise.all([a, b, other]);
        // …and a turn without one starts the group: no waiting out the whole linger.
        const started = Date.now();
        await h.commit.submit('team', 'c');
        assert.ok(Date.now() - started < 2_500, 'started after a quiet turn, not after lingerMs');
        assert.deepEqual(h.groups, [['warm'], ['x'], ['a', 'b'], ['c']]);
    });
    it('a group holds at most maxSize (at least one job), at most maxRunning groups run at once', async () => {
        const h = harness({ maxSize: 10, maxRunning: 2, txMs: 50 });
        const jobs = ['a:4', 'b:4', 'c:4', 'd:4', 'e:20', 'f:1'];
        const first = h.commit.submit('team', 'z');
        const rest = jobs.map((j) => h.commit.submit('team', j));
        await Promise.all([first, ...rest]);
        assert.equal(h.maxRunning(), 2);
        for (const g of h.groups)
            assert.ok(g.length === 1 || g.reduce((n, j) => n + Number(j.split(':')[1] ?? 1), 0) <= 10, g.join(','));
        assert.deepEqual(h.groups.flat().sort(), ['z', ...jobs].sort());
    });
    it('when a group fails, each job runs again alone: only the guilty one fails', async () => {
        const h = harness({ txMs: 150, fail: (jobs) => jobs.includes('bad') });
        const first = h.commit.submit('team', 'a');
        await sleep(1);
        const results = await Promise.allSettled(['b', 'bad', 'c'].map((j) => h.commit.submit('team', j)));
        await first;
        assert.deepEqual(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason.message)), ['done b', 'failed: bad', 'done c']);
        assert.deepEqual([...h.committed].sort(), ['a', 'b', 'c']);
    });
});
//# sourceMappingURL=group-commit.test.js.map