import { agencyHandlers } from './agency-handlers.ts';
import { agencyUpdateHandlers } from './agency-update.ts';
import { deliveryHandlers } from './delivery-handlers.ts';
import { incidentHandlers } from './incident-handlers.ts';
import { identityHandlers } from './identity-handlers.ts';
import { reviseHandlers } from './revise-handlers.ts';
import { sourceHandlers } from './source-handlers.ts';

/** Every publishing method of the contract; spread into the core's handlers. */
export const publishHandlers = {
  ...agencyHandlers,
  ...agencyUpdateHandlers,
  ...incidentHandlers,
  ...deliveryHandlers,
  ...reviseHandlers,
  ...sourceHandlers,
  ...identityHandlers,
};
