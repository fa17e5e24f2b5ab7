import { type FormEvent, useState } from 'react';
import { privacy } from '../../api/privacy';
import type { PrivacyRequest } from '../../api/types';
import { Done, ErrorNotice } from '../../components/Notices';
import { formatBytes } from '../../format';
import { useAction } from '../../hooks/useAction';
import { saveFile } from '../../save-file';

type Format = 'zip' | 'json';
const FORMATS: Record<Format, string> = {
  zip: 'ZIP of CSV files — opens in any spreadsheet (person, identities, properties, notes, consents, events…)',
  json: 'JSON — one document in Haven’s documented export format, for other systems',
};

/**
 * Access and portability: request an export, then take its one download at once. Nothing is
 * prepared ahead: the server streams the file from the encrypted rows when it is downloaded.
 */
export function ExportPerson({ personId, onExported }: { personId: string; onExported(): void }) {
  const [format, setFormat] = useState<Format>('zip');
  const [saved, setSaved] = useState<{ filename: string; size: number } | null>(null);
  const [pending, setPending] = useState<PrivacyRequest | null>(null);
  const run = useAction(async () => {
    setSaved(null);
    const request = await privacy.requestExport(personId, format);
    setPending(request);
    onExported();
    const file = await privacy.downloadExport(request.downloadPath);
    const filename = file.filename ?? `haven-export-${personId}.${format}`;
    saveFile(file.blob, filename);
    setPending(null);
    setSaved({ filename, size: file.blob.size });
    onExported();
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    void run.run();
  }
  return (
    <section className="card" aria-labelledby="export-heading">
      <h2 id="export-heading">Export (access and portability)</h2>
      <form onSubmit={submit}>
        <fieldset>
          <legend>Format</legend>
          {(Object.keys(FORMATS) as Format[]).map((f) => (
            <label key={f} className="radio">
              <input type="radio" name="export-format" value={f} checked={format === f} onChange={() => setFormat(f)} /> {FORMATS[f]}
            </label>
          ))}
        </fieldset>
        <p className="hint">Everything Haven holds about this person. The download works once; the request and its receipt stay in the privacy centre.</p>
        <ErrorNotice error={run.error} />
        {run.error && pending ? (
          <p className="hint">The export was requested but not downloaded (request {pending.id}); request a new one to try again.</p>
        ) : null}
        {saved ? (
          <Done>
            Downloaded {saved.filename} ({formatBytes(saved.size)}). Keep it safe: it holds this person’s data in clear.
          </Done>
        ) : null}
        <button type="submit" className="primary" disabled={run.busy}>
          {run.busy ? 'Exporting…' : 'Export and download'}
        </button>
      </form>
    </section>
  );
}
