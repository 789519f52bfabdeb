/**
 * Opening a container file (.npz, .safetensors) for positioned reads, refusing
 * anything but a regular file: a FIFO would block the first read forever and
 * /dev/zero never ends. Opened with O_NONBLOCK so that even opening a FIFO
 * returns at once; the check is fstat on the opened descriptor, so the file
 * checked is the file read. (The same rule as the other readers' fileSource.)
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

import { EffrankError } from '../core/errors.js';
import { type ByteSource, fileError, fsError } from './binary.js';

export interface RegularFile extends ByteSource {
  readonly fd: number;
}

export function openRegularFile(path: string): RegularFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw fsError(path, e);
  }
  let size: number;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw fileError(path, 'is a directory');
    if (!st.isFile()) throw fileError(path, 'is not a regular file (a FIFO, socket or device cannot be read as features)');
    size = st.size;
  } catch (e) {
    closeSync(fd);
    throw e instanceof EffrankError ? e : fsError(path, e);
  }
  let open = true;
  return {
    name: path,
    size,
    fd,
    read(position, into) {
      for (let done = 0; done < into.length; ) {
        let got: number;
        try {
          got = readSync(fd, into, done, into.length - done, position + done);
        } catch (e) {
          throw fsError(path, e);
        }
        if (got === 0) throw fileError(path, 'is truncated');
        done += got;
      }
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** The bytes [offset, offset + size) of a source, as a source of their own. */
export function sliceSource(source: ByteSource, offset: number, size: number, name = source.name): ByteSource {
  return {
    name,
    size,
    read(position, into) {
      if (position + into.length > size) throw fileError(name, 'is truncated');
      source.read(offset + position, into);
    },
    close() {},
  };
}
