/** Reads an XML file for signing or verification: size-checked before reading, strict UTF-8. */
import { open } from 'node:fs/promises';
import { SigningError } from '../errors.ts';
import { DEFAULT_MAX_XML_BYTES } from './parse.ts';

export async function readXmlFile(file: string, maxBytes = DEFAULT_MAX_XML_BYTES): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SigningError('FILE_NOT_FOUND', `The file cannot be read: ${file} (${code === 'ENOENT' ? 'not found' : (code ?? 'error')}).`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new SigningError('FILE_NOT_FOUND', `Not a file: ${file}`);
    if (stat.size > maxBytes) throw new SigningError('XML_TOO_LARGE', `The XML is larger than the ${maxBytes}-byte limit: ${file}`);
    const bytes = await handle.readFile();
    try {
      // Kalkan documents are UTF-8; anything else would be read as different text than was signed.
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new SigningError('XML_MALFORMED', `The file is not UTF-8 text: ${file}`);
    }
  } finally {
    await handle.close();
  }
}
