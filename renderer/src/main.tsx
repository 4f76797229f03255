import { createRoot } from 'react-dom/client';

// Placeholder until the review UI lands.
createRoot(document.getElementById('root')!).render(<p>Earwitness</p>);
