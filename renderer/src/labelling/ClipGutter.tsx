import type { ProjectClip } from '../../../src/contract/index.ts';

/** The track's label column: the file, its format, and the channel labelled when there are several. */
export function ClipGutter({ clip, channel, onChannel }: { clip: ProjectClip; channel: number; onChannel(c: number): void }) {
  const info = clip.clip;
  return (
    <div className="track-info">
      <div className="track-name" title={clip.name}>
        {clip.name.split('/').at(-1)}
      </div>
      <div className="track-meta">
        {info.sampleRate} Hz · {info.format}
      </div>
      {info.channels > 1 ? (
        <label className="track-meta">
          channel{' '}
          <select value={channel} onChange={(e) => onChannel(Number(e.target.value))} data-testid="label-channel">
            {Array.from({ length: info.channels }, (_, i) => (
              <option key={i} value={i}>
                {i + 1}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <div className="track-meta">mono</div>
      )}
    </div>
  );
}
