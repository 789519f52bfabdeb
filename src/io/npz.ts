/**
 * NumPy's .npz: a zip archive of .npy files (np.savez stores them,
 * np.savez_compressed deflates them). The zip side is yauzl's (maintained,
 * reads the central directory and single members by offset, zip64 included);
 * each member is then an ordinary .npy (npy.ts).
 *
 * A member is picked by key (the name without ".npy"; "arr_0" for positional
 * arrays); the default is the only member, else the error lists the keys.
 * Stored members are read in place, by offset (so they stream like a .npy);
 * deflated ones are inflated into memory once, within the element cap, and
 * their CRC-32 is checked.
 */
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';

import { EffrankError } from '../core/errors.js';
import { MAX_ELEMENTS } from '../core/matrix.js';
import { type BinaryLayout, bytesSource, fileError } from './binary.js';
import { type NpyHeader, npyLayout } from './npy.js';
import { openRegularFile, sliceSource } from './regular-file.js';

const MAX_MEMBERS = 100_000;
/** Largest member inflated in memory: the element cap in float64, plus room for the header. */
const MAX_INFLATED = MAX_ELEMENTS * 8 + (1 << 20);

export interface NpzLayout {
  layout: BinaryLayout & { header: NpyHeader };
  /** The member's key (file name without ".npy"). */
  key: string;
  compressed: boolean;
  /** Closes the archive (and its file descriptor). */
  close(): void;
}

const keyOf = (fileName: string) => fileName.replace(/\.npy$/, '');

function listKeys(keys: string[]): string {
  const shown = keys.slice(0, 30).join(', ');
  return keys.length > 30 ? `${shown}, … (${keys.length} in all)` : shown;
}

async function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  if (bytes.length !== entry.uncompressedSize) throw fileError(name, `inflated to ${bytes.length} bytes, the archive says ${entry.uncompressedSize}`);
  if (crc32(bytes) >>> 0 !== entry.crc32 >>> 0) throw fileError(name, 'fails its CRC-32 check (the archive is corrupt)');
  return bytes;
}

/** Opens `path`, picks a member and returns where its matrix sits. The caller must close() it. */
export async function npzLayout(path: string, key?: string): Promise<NpzLayout> {
  const file = openRegularFile(path);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromFdPromise(file.fd, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true });
  } catch (e) {
    file.close();
    throw fileError(path, `is not a readable .npz (zip) archive: ${(e as Error).message}`);
  }
  // From here yauzl owns the descriptor: zip.close() closes it.
  const close = () => zip.close();
  try {
    const entries: yauzl.Entry[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        if (!entry.fileName.endsWith('/')) entries.push(entry);
        if (entries.length > MAX_MEMBERS) throw new Error(`more than ${MAX_MEMBERS} members`);
      }
    } catch (e) {
      throw fileError(path, `is not a readable .npz (zip) archive: ${(e as Error).message}`);
    }
    const keys = entries.map((e) => keyOf(e.fileName));
    if (entries.length === 0) throw fileError(path, 'is an empty .npz archive (no arrays)');
    let entry: yauzl.Entry;
    if (key !== undefined) {
      const found = entries.find((e) => e.fileName === key || e.fileName === `${key}.npy`);
      if (!found) throw fileError(path, `has no array '${key}'; its keys are: ${listKeys(keys)}`);
      entry = found;
    } else {
      if (entries.length > 1) throw fileError(path, `holds ${entries.length} arrays; pick one with --key NAME: ${listKeys(keys)}`);
      entry = entries[0]!;
    }
    const chosen = keyOf(entry.fileName);
    const name = `${path}[${chosen}]`;
    if (entry.isEncrypted()) throw fileError(name, 'is encrypted');
    let layout: NpzLayout['layout'];
    if (entry.compressionMethod === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) throw fileError(name, 'is stored, but its compressed and uncompressed sizes differ');
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
      layout = npyLayout(sliceSource(file, fileDataStart, entry.uncompressedSize, name));
    } else if (entry.compressionMethod === 8) {
      if (entry.uncompressedSize > MAX_INFLATED) {
        throw fileError(name, `inflates to ${entry.uncompressedSize} bytes, too large to hold: save it with np.savez (stored), which is read in place and streams`);
      }
      layout = npyLayout(bytesSource(await inflate(zip, entry, name), name));
    } else {
      throw fileError(name, `uses zip compression method ${entry.compressionMethod}: only stored (0) and deflate (8), what numpy writes, are read`);
    }
    return { layout, key: chosen, compressed: entry.compressionMethod === 8, close };
  } catch (e) {
    close();
    // yauzl and zlib report a damaged archive as plain Errors.
    throw e instanceof EffrankError ? e : fileError(path, `is a damaged .npz (zip) archive: ${(e as Error).message ?? String(e)}`);
  }
}

/** The keys of a .npz archive, in archive order. */
export async function listNpz(path: string): Promise<string[]> {
  const file = openRegularFile(path);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromFdPromise(file.fd, { lazyEntries: true, autoClose: false });
  } catch (e) {
    file.close();
    throw fileError(path, `is not a readable .npz (zip) archive: ${(e as Error).message}`);
  }
  try {
    const keys: string[] = [];
    for await (const entry of zip.eachEntry()) if (!entry.fileName.endsWith('/')) keys.push(keyOf(entry.fileName));
    return keys;
  } catch (e) {
    throw fileError(path, `is not a readable .npz (zip) archive: ${(e as Error).message}`);
  } finally {
    zip.close();
  }
}
