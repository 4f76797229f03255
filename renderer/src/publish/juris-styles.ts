/** Styles of the jurisdiction map and drawing tools, scoped under .ew-publish like the rest of the desk. */
export const JURIS_CSS = `
.ew-publish .juris-map-box { isolation: isolate; display: grid; grid-template-rows: minmax(0, 1fr) auto; height: 420px; border: 1px solid var(--ew-line); border-radius: 6px; overflow: hidden; }
.ew-publish .juris-map.leaflet-container { height: 100%; width: 100%; background: var(--map-bg, #10161d); font: inherit; font-size: 12px; }
.ew-publish .juris-map-drawing.leaflet-container { cursor: crosshair; }
.ew-publish .juris-map .leaflet-tooltip.juris-label {
  background: transparent; border: 0; box-shadow: none; color: var(--ew-text); font-weight: 600; font-size: 12px; padding: 0 2px;
  text-shadow: 0 0 3px var(--map-bg, #10161d), 0 0 3px var(--map-bg, #10161d), 0 0 2px var(--map-bg, #10161d);
}
.ew-publish .juris-map .leaflet-tooltip.juris-label::before { display: none; }
.ew-publish .juris-map .juris-sensor { stroke: var(--ew-text); fill: var(--map-sensor, #5aa9ff); fill-opacity: 1; }
.ew-publish .juris-map .juris-draft { stroke: #fff; stroke-width: 2; stroke-dasharray: 6 4; fill: #fff; fill-opacity: 0.12; }
.ew-publish .juris-map .juris-draft-open { stroke: #fff; stroke-width: 2; stroke-dasharray: 3 3; fill: none; }
.ew-publish .juris-map .juris-vertex { background: #fff; border: 2px solid #111; border-radius: 2px; box-sizing: border-box; cursor: move; }
.ew-publish .juris-map .juris-vertex-first { background: var(--ew-ok); cursor: pointer; }
.ew-publish .juris-map .juris-vertex-selected { background: var(--ew-warn); }
.ew-publish .juris-map .leaflet-control-scale-line { background: rgba(0, 0, 0, 0.35); color: var(--ew-text); border-color: var(--ew-text); }
.ew-publish .juris-legend { display: flex; gap: 14px; flex-wrap: wrap; padding: 4px 8px; font-size: 12px; color: var(--ew-dim); background: var(--ew-panel); }
.ew-publish .juris-legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.ew-publish .juris-legend i.juris-legend-sensor { border-radius: 50%; background: var(--map-sensor, #5aa9ff); border: 1px solid var(--ew-text); width: 7px; height: 7px; }
.ew-publish .draw-tools { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 6px 0; }
.ew-publish .draw-tools ul { margin: 2px 0; padding-left: 18px; color: var(--ew-warn); }
.ew-publish tr.editing td { background: color-mix(in srgb, var(--ew-info) 10%, transparent); }
`;
