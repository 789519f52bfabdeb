/** effrank/tensorboard: TensorBoard event files (scalars, text, histograms) in pure TypeScript. */
export { TensorBoardWriter, tfRecord, type TensorBoardWriterOptions } from './writer.js';
export { crc32c, maskedCrc32c } from './crc32c.js';
