/** Order statistics over timing samples, in milliseconds. */
export interface Summary {
  medianMs: number;
  p95Ms: number;
  samples: number;
}

/** The q-quantile by linear interpolation between closest ranks. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError("quantile of no samples");
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below]!;
  const high = sorted[above]!;
  return low + (high - low) * (position - below);
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    medianMs: round(quantile(sorted, 0.5)),
    p95Ms: round(quantile(sorted, 0.95)),
    samples: sorted.length,
  };
}

/** Three significant decimals are more than the noise allows. */
export const round = (ms: number) => Math.round(ms * 1000) / 1000;
