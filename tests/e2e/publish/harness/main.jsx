// A page that shows the publishing panels on the real core through the loopback host, as the
// lead will wire them: ?incident=N shows DeliveryStatus for that incident, ?view=admin AgenciesAdmin.
// (Plain JSX: the node tsconfig includes tests/ and has no DOM or JSX settings.)
import { createRoot } from 'react-dom/client';
import { connectLoopback } from '../../../../renderer/src/client/loopback.ts';
import { DeliveryStatus } from '../../../../renderer/src/publish/DeliveryStatus.tsx';
import { AgenciesAdmin } from '../../../../renderer/src/publish/AgenciesAdmin.tsx';

const params = new URLSearchParams(location.search);
const client = await connectLoopback();
// Someone must be signed in on the seat (tests/support/harness-seat.ts hands over who).
const credentials = sessionStorage.getItem('earwitness.harness.signIn');
if (credentials) await client.call('signIn', JSON.parse(credentials));
const root = createRoot(document.getElementById('root'));
if (params.get('view') === 'admin') root.render(<AgenciesAdmin client={client} />);
else root.render(<DeliveryStatus client={client} incidentId={Number(params.get('incident'))} isAdmin={params.get('admin') === '1'} />);
