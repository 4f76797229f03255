import type { ConfusionMatrix as Matrix } from '../../../src/contract/index.ts';

const pretty = (label: string) => label.replaceAll('_', ' ');

/**
 * A confusion matrix as a table (readable by screen readers and in print), each cell shaded by
 * its share of its row; the diagonal (agreement) is outlined. No chart library needed. Text takes
 * the page's colour (light or dark theme) except on the darkest cells.
 */
export function ConfusionMatrix({ matrix, title, hideEmpty = true }: { matrix: Matrix; title: string; hideEmpty?: boolean }) {
  const keep = matrix.labels.map((_, i) => !hideEmpty || matrix.counts[i]!.some((c) => c > 0) || matrix.counts.some((row) => row[i]! > 0));
  const idx = matrix.labels.map((_, i) => i).filter((i) => keep[i]);
  const total = matrix.counts.flat().reduce((a, b) => a + b, 0);
  return (
    <figure className="audit-chart audit-confusion">
      <figcaption>
        {title} ({total} pairs; rows: {matrix.rows}, columns: {matrix.cols})
      </figcaption>
      <table style={{ borderCollapse: 'collapse', fontSize: 12 }}>
        <thead>
          <tr>
            <th scope="col" />
            {idx.map((j) => (
              <th key={j} scope="col" style={{ padding: '2px 6px', writingMode: 'vertical-rl', transform: 'rotate(180deg)' }}>
                {pretty(matrix.labels[j]!)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {idx.map((i) => {
            const rowTotal = matrix.counts[i]!.reduce((a, b) => a + b, 0) || 1;
            return (
              <tr key={i}>
                <th scope="row" style={{ textAlign: 'right', padding: '2px 6px' }}>
                  {pretty(matrix.labels[i]!)}
                </th>
                {idx.map((j) => {
                  const c = matrix.counts[i]![j]!;
                  const share = c / rowTotal;
                  return (
                    <td
                      key={j}
                      title={`${pretty(matrix.labels[i]!)} → ${pretty(matrix.labels[j]!)}: ${c}`}
                      style={{
                        minWidth: 34,
                        textAlign: 'center',
                        padding: '4px 6px',
                        background: `rgba(0, 114, 178, ${(share * 0.85).toFixed(3)})`,
                        color: share > 0.5 ? '#fff' : 'inherit',
                        outline: i === j ? '2px solid currentColor' : undefined,
                        outlineOffset: -2,
                      }}
                    >
                      {c}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
