/** A terminal progress bar for training runs (cli-progress), silent when stdout is not a TTY. */
import cliProgress from 'cli-progress';

export interface EpochProgress {
  update(epoch: number, loss: number, rank: number | undefined): void;
  stop(): void;
}

export function epochProgress(total: number, label: string): EpochProgress {
  if (!process.stderr.isTTY) {
    // Logs and CI: a line every 10% instead of a redrawn bar.
    let next = 0;
    return {
      update(epoch, loss, rank) {
        if (epoch >= next || epoch === total) {
          process.stderr.write(`${label} epoch ${epoch}/${total}  loss ${loss.toExponential(3)}  ε-rank ${rank ?? '-'}\n`);
          next = epoch + Math.ceil(total / 10);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} {bar} {value}/{total} epochs | loss {loss} | ε-rank {rank} | {duration}s`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { loss: '-', rank: '-' });
  return {
    update(epoch, loss, rank) {
      bar.update(epoch, { loss: loss.toExponential(3), rank: rank ?? '-' });
    },
    stop() {
      bar.stop();
    },
  };
}
