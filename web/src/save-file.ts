/**
 * Hands a file the app fetched to the browser as a download. The file was fetched with the
 * session (so errors come back as API errors the page can explain); an object URL lets the
 * browser save it under its name without the file ever being written into the page.
 */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by now; keep it a little for slow browsers, then free it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
