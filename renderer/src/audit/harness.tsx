// Test page for the auditor's chart components (bundled by tests/integration/audit/charts-render.test.ts, never by the app build).
import { createRoot } from 'react-dom/client';
import { AuditCharts } from './AuditCharts.tsx';
import type { AuditStats } from '../../../src/contract/index.ts';

const stats = (await (await fetch('/stats.json')).json()) as AuditStats;
createRoot(document.getElementById('root')!).render(<AuditCharts stats={stats} />);
