/**
 * Latency at a given rate, measured open-loop: requests leave at evenly spaced times whatever the
 * answers, and each one's latency counts from when it was due to leave (so a server that falls
 * behind is charged for the wait: no coordinated omission). autocannon's own rate limit sends
 * each second's quota back to back and then pauses, which measures a burst at full load rather
 * than the load asked for.
 */
import { Agent, request } from 'node:http';
export async function pacedLoad(options) {
    const target = new URL(options.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 256 });
    const interval = 1000 / options.ratePerSecond;
    const total = Math.max(1, Math.round(options.ratePerSecond * options.seconds));
    const latencies = [];
    const failures = [];
    const inFlight = [];
    const start = performance.now() + 50;
    const send = (due) => new Promise((resolve) => {
        const body = options.body();
        const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers } }, (res) => {
            res.resume();
            res.on('end', () => {
                if (res.statusCode !== 200)
                    failures.push(String(res.statusCode));
                latencies.push(performance.now() - due);
                resolve();
            });
        });
        req.on('error', (e) => {
            failures.push(e.message);
            resolve();
        });
        req.end(body);
    });
    let next = 0;
    await new Promise((done) => {
        const tick = () => {
            const now = performance.now();
            while (next < total && start + next * interval <= now)
                inFlight.push(send(start + next++ * interval));
            if (next >= total)
                return done();
            setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
        };
        setTimeout(tick, 50);
    });
    await Promise.all(inFlight);
    agent.destroy();
    if (failures.length > 0)
        throw new Error(`${failures.length} failed requests against ${options.url} (${failures.slice(0, 3).join(', ')})`);
    latencies.sort((a, b) => a - b);
    const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
    return { sent: total, p50: at(0.5), p99: at(0.99), max: Math.round(latencies[latencies.length - 1]) };
}
//# sourceMappingURL=paced-load.js.map