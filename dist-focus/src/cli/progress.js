import cliProgress from 'cli-progress';
/** A progress bar on stderr for long work; silent when stderr is not a terminal (CI, pipes). */
export function progressBar(label) {
    if (!process.stderr.isTTY) {
        return { update() { }, stop() { } };
    }
    const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
        update(done, total) {
            if (!started) {
                bar.start(total, done);
                started = true;
            }
            else {
                bar.setTotal(total);
                bar.update(done);
            }
        },
        stop() {
            if (started)
                bar.stop();
        },
    };
}
//# sourceMappingURL=progress.js.map