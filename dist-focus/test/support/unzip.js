import yauzl from 'yauzl';
/** The files of a ZIP archive, as text. */
export function unzip(buffer) {
    return new Promise((resolve, reject) => {
        yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
            if (err || !zip)
                return reject(err);
            const files = new Map();
            zip.on('entry', (entry) => {
                zip.openReadStream(entry, (e, stream) => {
                    if (e || !stream)
                        return reject(e);
                    const chunks = [];
                    stream.on('data', (c) => chunks.push(c));
                    stream.on('end', () => {
                        files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
                        zip.readEntry();
                    });
                });
            });
            zip.on('end', () => resolve(files));
            zip.on('error', reject);
            zip.readEntry();
        });
    });
}
//# sourceMappingURL=unzip.js.map