import type { LabelClass } from '../../../src/contract/index.ts';
import { hotkeyText } from './keymap.ts';

/**
 * The project's classes always in sight, in their colours, with the key that applies each: a click
 * applies it too. Classes without a key follow, smaller; the editor (T) gives them one.
 */
export function TaxonomyBar({ classes, editable, onApply }: { classes: readonly LabelClass[]; editable: boolean; onApply(c: LabelClass): void }) {
  const keyed = [...classes].filter((c) => c.hotkey !== null).sort((a, b) => a.hotkey! - b.hotkey!);
  const rest = classes.filter((c) => c.hotkey === null);
  return (
    <div className="taxonomy-bar" role="toolbar" aria-label="Label classes" data-testid="taxonomy-bar">
      {keyed.map((c) => (
        <button
          key={c.id}
          type="button"
          className="class-chip"
          style={{ ['--label-colour' as string]: c.colour }}
          onClick={() => onApply(c)}
          disabled={!editable}
          title={`Label the selection ${c.name} (${hotkeyText(c.hotkey!)})`}
          data-class={c.name}
          tabIndex={-1}
        >
          <kbd>{hotkeyText(c.hotkey!)}</kbd>
          {c.name}
        </button>
      ))}
      {rest.length > 0 && (
        <details className="class-more">
          <summary title="Classes with no key: click to apply">+{rest.length} more</summary>
          <div className="class-more-list">
            {rest.map((c) => (
              <button
                key={c.id}
                type="button"
                className="class-chip class-chip-small"
                style={{ ['--label-colour' as string]: c.colour }}
                onClick={() => onApply(c)}
                disabled={!editable}
                data-class={c.name}
              >
                {c.name}
              </button>
            ))}
          </div>
        </details>
      )}
    </div>
  );
}
