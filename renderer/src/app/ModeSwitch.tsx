/** The seat's modes: reviewing alerts, labelling clips (trainers). */
export type SeatMode = 'review' | 'labelling';

const TITLES: Record<SeatMode, string> = { review: 'Review', labelling: 'Labelling' };

/** The mode in the top bar: a title when the person has one mode, a switch when they have several. */
export function ModeSwitch({ mode, modes, onMode }: { mode: SeatMode; modes: readonly SeatMode[]; onMode(m: SeatMode): void }) {
  if (modes.length < 2) return <span className="topbar-title">{TITLES[mode]}</span>;
  return (
    <nav className="mode-switch" aria-label="Mode">
      {modes.map((m) => (
        <button key={m} type="button" className="mode-button" aria-pressed={m === mode} onClick={() => onMode(m)} data-testid={`mode-${m}`}>
          {TITLES[m]}
        </button>
      ))}
    </nav>
  );
}
