import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeFeed, RememberedUntilChanged, decodeChange, encodeChange } from './changes.js';
const TEAM = '0f8fad5b-d9cb-469f-a165-70867728950e';
const OTHER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const ORIGIN = '16fd2706-8baf-433b-82eb-8c7fada847da';
describe('change notices', () => {
    it('carry a topic and ids, nothing else', () => {
        for (const change of [{ topic: 'api_key.revoked', teamId: TEAM, id: OTHER }, { topic: 'team.state', teamId: TEAM }]) {
            assert.deepEqual(decodeChange(encodeChange(change, ORIGIN)), { origin: ORIGIN, change });
        }
        for (const bad of [
            { topic: 'team.state', teamId: 'ada@example.test' },
            { topic: 'team state', teamId: TEAM },
            { topic: 'team.state', teamId: TEAM, id: 'Ada Lovelace' },
            { topic: 'Team.State', teamId: TEAM },
        ]) {
            assert.throws(() => encodeChange(bad, ORIGIN), /a change is a topic and ids/, JSON.stringify(bad));
        }
        assert.throws(() => encodeChange({ topic: 'team.state', teamId: TEAM }, 'node-1'), /a change is a topic and ids/);
        const junk = ['', 'team.state', `${ORIGIN} team.state`, `${ORIGIN} team.state ${TEAM} ${OTHER} ${OTHER}`, `${ORIGIN} team.state x`, `${ORIGIN} nope ${TEAM}`];
        for (const payload of [...junk, `team.state ${TEAM}`, `team.state ${TEAM} ${OTHER}`]) {
            assert.equal(decodeChange(payload), null, payload);
        }
    });
});
describe('RememberedUntilChanged', () => {
    const cache = (live) => {
        const feed = new ChangeFeed({ live });
        const remembered = new RememberedUntilChanged(feed, { ttlMs: 60_000, max: 100, affectedBy: (v, _k, change) => v.teamId === change.teamId });
        return { feed, remembered };
    };
    it('forgets the entries a change affects, and keeps the others', () => {
        const { feed, remembered } = cache(true);
        remembered.remember('a', { teamId: TEAM }, remembered.mark());
        remembered.remember('b', { teamId: OTHER }, remembered.mark());
        feed.deliver({ topic: 'team.state', teamId: TEAM });
        assert.equal(remembered.get('a'), undefined);
        assert.deepEqual(remembered.get('b'), { teamId: OTHER });
        feed.deliver('everything');
        assert.equal(remembered.get('b'), undefined);
    });
    it('does not keep what was read before a change arrived', () => {
        const { feed, remembered } = cache(true);
        const mark = remembered.mark();
        feed.deliver({ topic: 'team.state', teamId: OTHER });
        remembered.remember('a', { teamId: TEAM }, mark);
        assert.equal(remembered.get('a'), undefined);
    });
    it('keeps nothing while the feed is not live, and forgets all when it turns', () => {
        const { feed, remembered } = cache(false);
        remembered.remember('a', { teamId: TEAM }, remembered.mark());
        assert.equal(remembered.get('a'), undefined);
        feed.setLive(true);
        remembered.remember('a', { teamId: TEAM }, remembered.mark());
        assert.deepEqual(remembered.get('a'), { teamId: TEAM });
        feed.setLive(false);
        assert.equal(remembered.get('a'), undefined);
        feed.setLive(true);
        assert.equal(remembered.get('a'), undefined, 'what was held before the gap is gone');
    });
    it('starts the feed at the first subscription only', () => {
        let starts = 0;
        const feed = new ChangeFeed({ live: false, start: () => starts++ });
        assert.equal(starts, 0);
        feed.subscribe(() => { });
        feed.subscribe(() => { });
        assert.equal(starts, 1);
    });
});
//# sourceMappingURL=changes.test.js.map