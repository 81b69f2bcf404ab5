/**
 * Saving a document the app received from main: a Blob and a download link (Electron's session
 * asks where to save; a browser saves to its downloads folder). Nothing is opened or shown inline.
 */
import type { DocumentContent } from '../../../../contract/contract.ts';

export function saveDocument(doc: DocumentContent): void {
  const binary = atob(doc.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: doc.contentType || 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = doc.filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, not before the download starts.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
