// Command line: node benchmarks/run.js [family ...] [--quick] [--no-peers] [--list]
export function parseArgs(argv, available) {
  const opts = { families: [], quick: false, peers: true, list: false, help: false };
  for (const arg of argv) {
    if (arg === '--quick') opts.quick = true;
    else if (arg === '--no-peers') opts.peers = false;
    else if (arg === '--list') opts.list = true;
    else if (arg === '--help' || arg === '-h') opts.help = true;
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (!available.includes(arg)) throw new Error(`unknown family "${arg}" (have: ${available.join(', ')})`);
    else opts.families.push(arg);
  }
  if (!opts.families.length) opts.families = available;
  return opts;
}

export const USAGE = `usage: node benchmarks/run.js [family ...] [--quick] [--no-peers] [--list]
  family      run only these (default: all benchmarks/*.bench.js)
  --quick     fewer samples per case
  --no-peers  skip the pure-JS peer libraries
  --list      print the families and their cases, then exit`;
