/** One measured figure, always beside a baseline measured in the same run. */
export interface Figure {
  /** dotted name, e.g. import.alerts_per_s */
  name: string;
  value: number;
  unit: string;
  baseline: number;
  /** What the baseline is, for the table. */
  baselineLabel: string;
  /** True when a bigger value is better (throughput); false for times and sizes. */
  higherIsBetter: boolean;
}

export interface BenchContext {
  /** A fresh temp folder for this suite, removed afterwards. */
  workDir: string;
  /** Print progress on stderr (stdout is reserved for the table or JSON). */
  log(message: string): void;
  /** --quick: fewer repetitions, for smoke tests of the bench itself. */
  quick: boolean;
}

export interface BenchSuite {
  name: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}
