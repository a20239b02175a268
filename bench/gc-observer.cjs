/*
 * Loaded into a benchmarked Node process with `--require` (through NODE_OPTIONS): counts
 * its garbage collections by kind, with the time they paused it, and keeps the totals in
 * the JSON file named by BENCH_GC_FILE with the process's memory as Node sees it (V8's
 * heap, and the memory outside it that buffers and strings hold), rewritten every 100 ms
 * (a write per batch of collections was 1-2% of the backend's thread during a sync or a
 * report). Full (mark-compact) collections are the ones to watch: each marks the whole
 * heap, which in the portal backend is about 150 MB.
 */
const { PerformanceObserver, constants } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_GC_FILE;
if (file) {
  const totals = { major: 0, majorMs: 0, minor: 0, minorMs: 0, memory: {} };
  const write = () => {
    totals.memory = process.memoryUsage();
    writeFileSync(file, JSON.stringify(totals));
  };
  write();
  setInterval(write, 100).unref();
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      const kind = entry.detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        totals.major++;
        totals.majorMs += entry.duration;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        totals.minor++;
        totals.minorMs += entry.duration;
      }
    }
  }).observe({ entryTypes: ['gc'] });
}
