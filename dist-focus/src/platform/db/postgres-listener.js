import pg from 'pg';
import { CHANGES_CHANNEL, decodeChange } from './changes.js';
const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;
/**
 * One connection LISTENing for every process's changes (changes.ts), handed to the feed. The feed
 * is live only while that connection is: when it drops, caches stop keeping anything and forget
 * what they hold, and it reconnects (100 ms, doubling to 5 s); once listening again, they forget
 * again, since a change may have been missed while it was down.
 */
export function listenForChanges(url, feed) {
    let current = null;
    let stopped = false;
    let retryMs = FIRST_RETRY_MS;
    let retry;
    const connect = async () => {
        const client = new pg.Client({ connectionString: url });
        current = client;
        let failed = false;
        const fail = () => {
            if (failed)
                return;
            failed = true;
            if (current === client)
                current = null;
            if (feed.live)
                feed.setLive(false);
            client.end().catch(() => { });
            if (stopped)
                return;
            retry = setTimeout(() => void connect(), retryMs);
            retry.unref();
            retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
        };
        client.on('error', fail);
        client.on('end', fail);
        client.on('notification', (message) => {
            if (message.channel !== CHANGES_CHANNEL)
                return;
            const notice = message.payload ? decodeChange(message.payload) : null;
            // A notice this build cannot read (a newer node's shape) forgets everything: never too little.
            if (!notice)
                feed.deliver('everything');
            else if (notice.origin !== feed.origin)
                feed.deliver(notice.change);
        });
        try {
            await client.connect();
            await client.query(`LISTEN ${CHANGES_CHANNEL}`);
        }
        catch {
            fail();
            return;
        }
        if (failed || stopped)
            return;
        retryMs = FIRST_RETRY_MS;
        feed.setLive(true);
    };
    void connect();
    return {
        async stop() {
            stopped = true;
            clearTimeout(retry);
            const client = current;
            current = null;
            await client?.end().catch(() => { });
        },
    };
}
//# sourceMappingURL=postgres-listener.js.map