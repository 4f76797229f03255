import './keys.css';
import { useEffect, useRef } from 'react';
import { BINDINGS, type Binding } from './keymap.ts';
import { useKeys } from './useKeys.ts';

/** What the overlay lists: a key table's rows (any mode's), read by their group. */
export interface KeyRow {
  action: string;
  keys: string;
  label: string;
  group: string;
}

const GROUPS: Binding['group'][] = ['Alerts', 'Playback', 'Tracks and view', 'Picks and location', 'Decision'];

/** Every key of the seat (or of another mode, given its rows and groups), from the same table the keyboard uses. `?` or Esc closes it. */
export function KeysOverlay({
  onClose,
  rows = BINDINGS,
  groups = GROUPS,
  intro,
}: {
  onClose(): void;
  rows?: readonly KeyRow[];
  groups?: readonly string[];
  intro?: string;
}) {
  useKeys({ help: onClose, leave: onClose }, { modal: true });
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div className="keys-overlay" role="dialog" aria-modal="true" aria-label="Keyboard keys" data-testid="keys-overlay" onClick={onClose}>
      <div className="keys-box" ref={box} tabIndex={-1} onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>Keys</h2>
          <span className="muted">{intro ?? 'Every action of the seat works from the keyboard.'} Press ? or Esc to close.</span>
        </header>
        <div className="keys-groups">
          {groups.map((g) => (
            <section key={g}>
              <h3>{g}</h3>
              <dl>
                {rows
                  .filter((b) => b.group === g)
                  .map((b) => (
                    <div key={b.action}>
                      <dt>
                        <kbd>{b.keys}</kbd>
                      </dt>
                      <dd>{b.label}</dd>
                    </div>
                  ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
