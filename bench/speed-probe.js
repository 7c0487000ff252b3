// How fast this machine runs one thread right now: the same fixed integer loop five times
// after one to compile it, in ms.
// The bench's absolute figures (connect and storm times, idle CPU) move with it; the ratios against
// the Node client measured in the same run do not. A min far below the median, or a median far
// above an earlier run's, means the machine was shared or throttled while the bench ran.
'use strict';

const ITERATIONS = 100_000_000;

function loopMs() {
  const start = process.hrtime.bigint();
  let x = 2463534242;
  for (let i = 0; i < ITERATIONS; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (x === 0) throw new Error('unreachable: keeps the loop from being optimised away');
  return ms;
}

loopMs(); // once to compile it
const runs = Array.from({ length: 5 }, loopMs).sort((a, b) => a - b);
console.log(`speed probe (${process.argv[2] || 'now'}): ${ITERATIONS / 1e6}M-step loop min ${runs[0].toFixed(0)} ms, median ${runs[2].toFixed(0)} ms`);
