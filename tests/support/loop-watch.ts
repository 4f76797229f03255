/**
 * Watches this thread's event loop: a timer every few ms records each gap between its ticks
 * (wall clock, Unix ms, to line up with a probe in another process) and how much CPU this
 * thread used in it. A long gap full of CPU is code holding the loop; a long gap with little
 * CPU is the machine not running this thread (a busy shared machine), which no design avoids.
 */
export interface LoopGap {
  fromMs: number;
  toMs: number;
  /** CPU this thread used during the gap, ms. */
  cpuMs: number;
}

export interface LoopWatch {
  stop(): LoopGap[];
}

const cpuNowMs = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};

export function watchLoop(everyMs = 5): LoopWatch {
  const gaps: LoopGap[] = [];
  let lastWall = Date.now();
  let lastCpu = cpuNowMs();
  const tick = () => {
    const wall = Date.now();
    const cpu = cpuNowMs();
    gaps.push({ fromMs: lastWall, toMs: wall, cpuMs: cpu - lastCpu });
    lastWall = wall;
    lastCpu = cpu;
  };
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return gaps;
    },
  };
}

/** The longest the loop was held: the most CPU this thread spent between two ticks, ms. */
export const longestHold = (gaps: readonly LoopGap[]) => gaps.reduce((m, g) => Math.max(m, g.cpuMs), 0);

/** CPU this thread spent within [fromMs, toMs), gaps counted in proportion to their overlap. */
export function cpuWithin(gaps: readonly LoopGap[], fromMs: number, toMs: number): number {
  let sum = 0;
  for (const g of gaps) {
    const overlap = Math.min(toMs, g.toMs) - Math.max(fromMs, g.fromMs);
    if (overlap > 0) sum += g.toMs > g.fromMs ? (g.cpuMs * overlap) / (g.toMs - g.fromMs) : 0;
  }
  return sum;
}
