// Test page for the auditor's chart components: fetches a stats document and renders them.
import { createRoot } from 'react-dom/client';
import { AuditCharts } from '../../renderer/src/audit/AuditCharts.tsx';
import type { AuditStats } from '../../src/contract/index.ts';

const stats = (await (await fetch('/stats.json')).json()) as AuditStats;
createRoot(document.getElementById('root')!).render(<AuditCharts stats={stats} />);
