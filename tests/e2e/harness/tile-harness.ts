// A page for tests/e2e/tile-layer.spec.ts: a bare Leaflet map with the contract tile layer, on
// the loopback client, so the layer is tested in Chromium on the real core before the review
// UI's map uses it.
import L from 'leaflet';
import { connectLoopback } from '../../../renderer/src/client/loopback.ts';
import { createBaseLayer, watchMapSettings } from '../../../renderer/src/map/tile-layer.ts';

type HarnessState = { settings: unknown; layers: number; errors: string[]; loads: number };
const state: HarnessState = { settings: null, layers: 0, errors: [], loads: 0 };
(window as unknown as { harness: HarnessState }).harness = state;

const client = await connectLoopback();
// Someone must be signed in on the seat (tests/support/harness-seat.ts hands over who).
const credentials = sessionStorage.getItem('earwitness.harness.signIn');
if (credentials) await client.call('signIn', JSON.parse(credentials) as { name: string; password: string });
const map = L.map('map', { center: [0, 0], zoom: 1, zoomControl: false, fadeAnimation: false, zoomAnimation: false });
let layer: L.GridLayer | null = null;
watchMapSettings(
  client,
  (settings) => {
    state.settings = settings;
    layer?.remove();
    layer = createBaseLayer(client, settings);
    if (layer) {
      layer.on('tileerror', (e: L.TileErrorEvent) => state.errors.push(e.error.message));
      layer.on('tileload', () => state.loads++);
      layer.addTo(map);
    }
    state.layers = layer ? 1 : 0;
  },
  (message) => state.errors.push(message),
);
